#!/usr/bin/env bash
# Delivery-throughput benchmark (see BENCHMARKS.md). Usage: run-delivery-load.sh MODE [MESSAGES] [WARMUP]
# MODE is reuse (100 messages per connection) or new (a new TLS connection per message).
# The relay's log (a line per delivery attempt) goes to integration-tests/target/delivery-load-MODE.log;
# the summary is printed at the end. Extra JVM options for the relay side: DELIVERY_LOAD_JAVA_OPTS.
set -euo pipefail
cd "$(dirname "$0")/.."
. integration-tests/bench-run.sh
run_relay_bench "integration-tests/target/delivery-load-${1:-reuse}.log" \
  '^(mode|throughput|cpu|relay threads|sink|load average)' DeliveryLoad "${DELIVERY_LOAD_JAVA_OPTS:-}" "$@"
