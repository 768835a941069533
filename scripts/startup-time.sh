#!/usr/bin/env bash
# Start-up of the sivi launcher against a bare `java -version` of the same JDK: median wall time of N
# runs each (default 11), the runs of all commands interleaved so that machine load hits them alike.
# Reports each command's median and its ratio to java -version (the issue's target: within 2x).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/env.sh
N=${1:-11}
./sivi --help >/dev/null 2>&1   # builds and creates the caches if needed
cmds=("java -version" "./sivi --help" "./sivi --version" "./sivi targets" "./sivi methods" "./sivi fit --help" "SIVI_AOT=0 ./sivi --help")
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
for _ in $(seq "$N"); do
  for i in "${!cmds[@]}"; do
    s=$(date +%s%N); bash -c "${cmds[$i]}" >/dev/null 2>&1 || true; e=$(date +%s%N)
    echo $(( (e - s) / 1000000 )) >> "$tmp/$i"
  done
done
median() { sort -n "$1" | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
base=$(median "$tmp/0")
for i in "${!cmds[@]}"; do
  m=$(median "$tmp/$i"); printf '%-28s %6d ms  %5.2fx java -version\n' "${cmds[$i]}" "$m" "$(echo "$m / $base" | bc -l)"
done
