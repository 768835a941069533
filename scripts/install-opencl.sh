#!/usr/bin/env bash
# Installs PoCL (a CPU OpenCL device) if no OpenCL loader or ICD is present, so the OpenCL tests
# always run in CI. Idempotent and quiet: does nothing when libOpenCL.so.1 and an ICD exist.
set -euo pipefail
have_loader() { ldconfig -p 2>/dev/null | grep -q 'libOpenCL\.so\.1' || ls /usr/lib/*/libOpenCL.so.1 /usr/lib/libOpenCL.so.1 >/dev/null 2>&1; }
have_icd() { ls /etc/OpenCL/vendors/*.icd >/dev/null 2>&1; }
if have_loader && have_icd; then exit 0; fi
SUDO=""
if [ "$(id -u)" != 0 ]; then SUDO="sudo"; fi
echo "install-opencl: installing PoCL (pocl-opencl-icd, ocl-icd-libopencl1)" >&2
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq pocl-opencl-icd ocl-icd-libopencl1 >/dev/null
