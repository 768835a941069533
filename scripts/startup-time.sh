#!/usr/bin/env bash
# Median wall time of `./sivi --help` over N runs, with and without the AOT cache (the launcher's overhead included).
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-11}
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
measure() {
  for _ in $(seq "$N"); do
    s=$(date +%s%N); "$@" >/dev/null 2>&1; e=$(date +%s%N); echo $(( (e - s) / 1000000 ))
  done | median
}
./sivi --help >/dev/null 2>&1   # builds and creates the cache if needed
echo "without AOT cache: $(SIVI_AOT=0 measure ./sivi --help) ms"
echo "with AOT cache:    $(measure ./sivi --help) ms"
