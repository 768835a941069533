#!/bin/bash
# Large-N sweep: one JVM per (target, method, N), heap capped at 256 MB, f32, SIMD, 1 thread; max RSS from time -v.
J=${JAVA:-java}   # a JDK 25 (. scripts/env.sh); run from the repository root
JAR=${JAR:-cli/target/sivi.jar}
O=${OUT:-runs/large-n}; mkdir -p $O
for t in banana lr-waveform; do for m in ksivi sivi-sm; do for n in 100 500 1000 2000 5000 10000; do
  f=$O/$t-$m-$n
  /usr/bin/time -f "%M" -o $f.rss $J -Xmx256m --add-modules jdk.incubator.vector -XX:+UseSerialGC -cp $JAR sivi.cli.Main \
     bench step --method $m --target $t --batch $n --quick --threads 1 --json $f.json > $f.log 2>&1
  echo "$t $m $n $(cat $f.rss) $(python3 -c "import json;j=json.load(open('$f.json'));j=j[0] if isinstance(j,list) else j;print(round(j['median_ms'],3),round(j['cpu_ms'],2),j['steps'])" 2>&1 | tail -1)"
done; done; done
