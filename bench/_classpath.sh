#!/usr/bin/env bash
# Sourced by the bench commands: compiles main and test code and sets BENCH_CP to a classpath that holds
# both plus every dependency (benchmarks reuse the loopback fakes under src/test).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
mvn -q -B test-compile dependency:build-classpath -Dmdep.outputFile=target/bench-classpath.txt \
    -Dmdep.includeScope=test >&2
BENCH_CP="target/classes:target/test-classes:$(cat target/bench-classpath.txt)"
export BENCH_CP
