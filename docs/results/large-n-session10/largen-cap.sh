#!/bin/bash
# Smallest heap cap (of 16, 32, 64, 128, 256 MB) under which a --quick bench step run of each (target, method, N) completes.
J=${JAVA:-java}   # a JDK 25 (. scripts/env.sh); run from the repository root
JAR=${JAR:-cli/target/sivi.jar}
O=${OUT:-runs/large-n}; mkdir -p $O
for t in banana lr-waveform; do for m in ksivi sivi-sm; do for n in 500 1000 2000 5000 10000; do
  cap=none
  for c in 16 32 64 128 256; do
    if $J -Xmx${c}m --add-modules jdk.incubator.vector -XX:+UseSerialGC -cp $JAR sivi.cli.Main \
       bench step --method $m --target $t --batch $n --quick --threads 1 > $O/cap-$t-$m-$n-$c.log 2>&1; then cap=$c; break; fi
  done
  echo "$t $m $n min_heap_MB $cap"
done; done; done
