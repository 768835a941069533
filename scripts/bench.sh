#!/usr/bin/env bash
# Builds the JMH benchmarks jar and runs it: scripts/bench.sh quick [regex] | scripts/bench.sh full [regex]
# (see bench/README.md). Any other arguments go to JMH itself, e.g. scripts/bench.sh jmh -l
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/env.sh
mvn -B -q -pl bench -am package -DskipTests
if [ "${1:-}" = jmh ]; then shift; exec java --add-modules jdk.incubator.vector -cp bench/target/benchmarks.jar org.openjdk.jmh.Main "$@"; fi
exec java --add-modules jdk.incubator.vector -jar bench/target/benchmarks.jar "$@"
