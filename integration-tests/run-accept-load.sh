#!/usr/bin/env bash
# Accept-throughput benchmark (see BENCHMARKS.md). Usage: run-accept-load.sh CLIENTS [SECONDS] [SIZE] [WARMUP]
# The relay's log (a line per accepted message) goes to integration-tests/target/accept-load-CLIENTS.log;
# the summary is printed at the end. ACCEPT_LOAD_JAVA_OPTS=-Dload.pipelining=false: clients that do
# not pipeline (each command waits for its reply). The relay logs with the production configuration
# (config/logback.xml), as in the other benchmarks; the tests' logback-test.xml, which is also on
# this classpath, writes every line at once and would be measured instead.
set -euo pipefail
cd "$(dirname "$0")/.."
. integration-tests/bench-run.sh
run_relay_bench "integration-tests/target/accept-load-${1:-8}.log" \
  '^(clients|messages|spool|cpu|load average)' AcceptLoad "${ACCEPT_LOAD_JAVA_OPTS:-}" "$@"
