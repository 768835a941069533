#!/usr/bin/env bash
# Seeded fits of every method on banana and lr-waveform (f32 and f64, 300 iterations) with one jar,
# into OUT/<method>-<target>-<dtype>/samples.csv: run it with the jar before and after a refactor
# and compare the two folders with `diff -r` (a refactor must leave every file byte-identical).
# Usage: scripts/bit-identity.sh JAR OUT [ITERATIONS]
set -uo pipefail
jar=$1; out=$2; iters=${3:-300}
. "$(dirname "$0")/env.sh"
JVM=(--add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -Djava.awt.headless=true -XX:+UseSerialGC)
methods=$(java "${JVM[@]}" -cp "$jar" sivi.cli.Main methods 2>/dev/null | awk '/^[a-z]/{print $1}')
mkdir -p "$out"
for m in $methods; do
  for t in banana lr-waveform; do
    for d in f32 f64; do
      dir="$out/$m-$t-$d"; rm -rf "$dir"
      # The batch is given explicitly (200, the CLI's old default over a preset's) so that a change of
      # the preset rules does not change what is compared; methods without a batch option run without.
      if ! java "${JVM[@]}" -cp "$jar" sivi.cli.Main fit --method "$m" --target "$t" --dtype "$d" --iterations "$iters" \
           --batch 200 --seed 7 --draws 200 --no-plot --quiet --out "$dir" >/dev/null 2>"$out/.err"; then
        if grep -q -i batch "$out/.err"; then
          rm -rf "$dir"
          java "${JVM[@]}" -cp "$jar" sivi.cli.Main fit --method "$m" --target "$t" --dtype "$d" --iterations "$iters" \
            --seed 7 --draws 200 --no-plot --quiet --out "$dir" >/dev/null 2>"$out/.err" || { echo "FAILED $m $t $d: $(head -1 "$out/.err")"; continue; }
        else echo "FAILED $m $t $d: $(head -1 "$out/.err")"; continue; fi
      fi
      # only the draws: summary.json holds wall times, trace.csv elapsed seconds
      find "$dir" -type f ! -name samples.csv -delete
      echo "$m $t $d $(sha256sum "$dir/samples.csv" | cut -c1-16)"
    done
  done
done
rm -f "$out/.err"
