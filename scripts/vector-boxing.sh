#!/usr/bin/env bash
# Finds boxed Vector API values in a training step: runs `sivi bench step` under JFR and lists the sites that allocate
# jdk.incubator.vector objects in the second half of the run (after C2 has compiled the step). A vector that crosses a
# call C2 did not inline is boxed on every call, often at a site too cold to inline (a row's tail, a once-per-row lane
# sum) or where a caller has used up its inlining budget. A listed site is worth a look, not always a fix: boxing
# once per row of a short reduction cost less than the padded copies that avoided it (docs/results/bench-session24).
# Usage: scripts/vector-boxing.sh METHOD TARGET [N] [JAR]    (JAR: default the CLI's build)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
. "$ROOT/scripts/env.sh"
method=$1; target=$2; n=${3:-500}; jar=${4:-$ROOT/cli/target/sivi.jar}
[ -f "$jar" ] || { echo "no jar at $jar (run ./sivi once to build it)" >&2; exit 2; }
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
java --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -XX:+UseSerialGC \
  -XX:StartFlightRecording=filename="$tmp/r.jfr",settings=profile -cp "$jar" sivi.cli.Main \
  bench step --method "$method" --target "$target" --batch "$n" >/dev/null 2>&1
jfr print --stack-depth 8 --events jdk.ObjectAllocationSample "$tmp/r.jfr" > "$tmp/r.txt"
# one line per sample: seconds, bytes, class, first two frames of ours
awk '
  /jdk.ObjectAllocationSample/ { if (t != "") print t, w, c, f; t = ""; w = 0; c = ""; f = ""; n = 0 }
  /startTime = / { split($3, h, ":"); t = h[1] * 3600 + h[2] * 60 + h[3] }
  /objectClass = / { c = $3 }
  /weight = / { w = $3; if ($4 == "kB") w *= 1e3; else if ($4 == "MB") w *= 1e6; else if ($4 == "GB") w *= 1e9 }
  /^[ \t]+sivi\./ { if (n < 2) { s = $1; sub(/\(.*/, "", s); l = $0; sub(/.*line: /, "", l); f = f (n ? "<" : "") s ":" l; n++ } }
  END { if (t != "") print t, w, c, f }' "$tmp/r.txt" > "$tmp/s.txt"
awk -v m="$method" -v tg="$target" -v n="$n" '
  NR == FNR { if (min == "" || $1 < min) min = $1; if ($1 > max) max = $1; next }
  $1 >= (min + max) / 2 { all += $2; if ($3 ~ /jdk\.incubator\.vector/) { b[$3 " " $4] += $2; boxed += $2 } }
  END {
    printf "%s on %s, N=%d: %.2f%% of the bytes allocated in the second half are Vector API objects\n", m, tg, n, all ? 100 * boxed / all : 0
    for (k in b) printf "  %5.2f%%  %s\n", 100 * b[k] / all, k
  }' "$tmp/s.txt" "$tmp/s.txt"
