#!/usr/bin/env bash
# Installs Debian's chromium if none is on the PATH, so the report's headless-browser test
# (ReportBrowserTest) runs in CI instead of skipping. Idempotent and quiet.
set -euo pipefail
if command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1; then exit 0; fi
SUDO=""
if [ "$(id -u)" != 0 ]; then SUDO="sudo"; fi
echo "install-chromium: installing chromium (headless browser for ReportBrowserTest)" >&2
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >/dev/null
