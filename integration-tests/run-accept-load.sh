#!/usr/bin/env bash
# Accept-throughput benchmark (see BENCHMARKS.md). Usage: run-accept-load.sh CLIENTS [SECONDS] [SIZE] [WARMUP]
# The relay's log (a line per accepted message) goes to integration-tests/target/accept-load-CLIENTS.log;
# the summary is printed at the end. ACCEPT_LOAD_JAVA_OPTS=-Dload.pipelining=false: clients that do
# not pipeline (each command waits for its reply).
set -euo pipefail
cd "$(dirname "$0")/.."
. integration-tests/bench-classpath.sh
log="integration-tests/target/accept-load-${1:-8}.log"
# a fixed, pre-touched heap: page faults and heap resizing would show up as relay CPU
"$JAVA_HOME/bin/java" -Xms1g -Xmx1g -XX:+AlwaysPreTouch ${ACCEPT_LOAD_JAVA_OPTS:-} -cp "$cp" dev.relay.it.bench.AcceptLoad "$@" >"$log" 2>&1 \
  || { tail -20 "$log"; exit 1; }
grep -E '^(clients|messages|spool|cpu|load average)' "$log"
