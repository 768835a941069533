#!/usr/bin/env bash
# usage: ml.sh JAR TAG METHOD ITER SEEDS... -- extra --set args
# OUT: output folder; REF: the NUTS draws (sivi/reference/lr-waveform.csv, extracted from the jar)
OUT=${OUT:-runs/ml-seeds}; REF=${REF:?set REF to the lr-waveform NUTS draws}; mkdir -p "$OUT"
set -u
JAR=$1; TAG=$2; METHOD=$3; ITER=$4; shift 4
SEEDS=(); while [ $# -gt 0 ] && [ "$1" != "--" ]; do SEEDS+=("$1"); shift; done; [ $# -gt 0 ] && shift
. "$(dirname "$0")/../../../scripts/env.sh"
J="java --add-modules jdk.incubator.vector -XX:+UseSerialGC -jar $JAR"
for s in "${SEEDS[@]}"; do
  d="$OUT"/$TAG-s$s
  /usr/bin/time -f "%e s" $J fit --target lr-waveform --method $METHOD --iterations $ITER --dtype f64 --seed $s --draws 4000 --quiet --no-plot --force --out $d "$@" > $d.log 2>&1
  $J eval --target lr-waveform --samples $d/samples.csv --reference "$REF" > $d.eval.json 2>>$d.log
  echo "$TAG seed $s done $(date +%T)" >> "$OUT"/progress.txt
done
