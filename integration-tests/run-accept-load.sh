#!/usr/bin/env bash
# Accept-throughput benchmark (see BENCHMARKS.md). Usage: run-accept-load.sh CLIENTS [SECONDS] [SIZE] [WARMUP]
set -euo pipefail
cd "$(dirname "$0")/.."
: "${JAVA_HOME:?set JAVA_HOME to a JDK 21+}"
mvn -B -ntp -q -pl integration-tests -am test-compile dependency:build-classpath \
  -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=test >/dev/null
cp="integration-tests/target/test-classes:$(cat integration-tests/target/bench.classpath)"
exec "$JAVA_HOME/bin/java" -Xmx1g -cp "$cp" dev.relay.it.bench.AcceptLoad "$@"
