#!/usr/bin/env bash
# Soak test: one long fit (KSIVI on lr-waveform, 1 thread, checkpoints on) whose resident memory
# (VmRSS of the JVM, from /proc/PID/status) is sampled every minute into OUT/rss.csv; then OUT/rss.png
# and a verdict on whether RSS is flat after warm-up (criterion in bench/.../harness/Soak.java).
# Linux only (/proc). Not part of any test tier: it takes DURATION seconds.
# Usage: scripts/soak.sh [OUT [DURATION_S [INTERVAL_S]]]      (defaults: runs/soak-<time>, 3600, 60)
#        scripts/soak.sh --analyse OUT                         (redo the plot and verdict of a finished soak)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
. "$ROOT/scripts/env.sh"

cli_jar() {
  [ -f "$ROOT/cli/target/sivi.jar" ] || (cd "$ROOT" && mvn -B -q -ntp -pl cli -am package -DskipTests >&2)
  echo "$ROOT/cli/target/sivi.jar"
}

analyse() {   # the plot and the verdict: bench's LinePlot and Soak compiled with javac against the CLI jar, no bench build
  local out=$1 cls cp
  cls=$(mktemp -d); cp=$(cli_jar)
  javac -nowarn -cp "$cp" -d "$cls" "$ROOT/bench/src/main/java/sivi/bench/harness/LinePlot.java" "$ROOT/bench/src/main/java/sivi/bench/harness/Soak.java"
  java -Djava.awt.headless=true -cp "$cls:$cp" sivi.bench.harness.Soak "$out/rss.csv" "$out/rss.png" | tee "$out/verdict.txt"
  rm -rf "$cls"
}

if [ "${1:-}" = --analyse ]; then analyse "$2"; exit 0; fi

OUT=${1:-$ROOT/runs/soak-$(date -u +%Y%m%dT%H%M%S)}
DURATION=${2:-3600}
INTERVAL=${3:-60}
ITERATIONS=${SOAK_ITERATIONS:-1500000}   # more than an hour's worth at ~4 ms/iteration; checkpoints every 10 %
mkdir -p "$OUT"
# a private copy: a rebuild during the soak must not replace the jar under the running JVM
cp "$(cli_jar)" "$OUT/sivi.jar"
JVM=(--add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -Djava.awt.headless=true -XX:+UseSerialGC)
java "${JVM[@]}" -cp "$OUT/sivi.jar" sivi.cli.Main fit --target lr-waveform --method ksivi --threads 1 \
    --iterations "$ITERATIONS" --no-plot --quiet --out "$OUT/run" >"$OUT/fit.log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null || true' EXIT
echo "seconds,rss_kib,checkpoint_bytes,cpu_seconds" > "$OUT/rss.csv"
tick=$(getconf CLK_TCK)
start=$(date +%s)
while :; do
  now=$(date +%s)
  rss=$(awk '/^VmRSS:/{print $2}' "/proc/$pid/status" 2>/dev/null) || break
  [ -n "$rss" ] || break
  ckpt=$(stat -c %s "$OUT/run/checkpoint.bin" 2>/dev/null || echo 0)
  # user + system CPU of the fit (fields 14, 15 of /proc/PID/stat): on a loaded machine it tells how far the fit got
  cpu=$(awk -v t="$tick" '{printf "%.0f", ($14 + $15) / t}' "/proc/$pid/stat" 2>/dev/null || echo 0)
  echo "$((now - start)),$rss,$ckpt,$cpu" >> "$OUT/rss.csv"
  [ $((now - start)) -lt "$DURATION" ] || break
  sleep "$INTERVAL"
done
if kill -0 $pid 2>/dev/null; then
  kill $pid; wait $pid 2>/dev/null || true
  echo "soak: stopped the fit after ${DURATION} s (as planned)"
else
  wait $pid && rc=0 || rc=$?
  echo "soak: the fit ended by itself before ${DURATION} s (exit $rc; see $OUT/fit.log)"
fi
trap - EXIT
rm -f "$OUT/sivi.jar"
analyse "$OUT"
