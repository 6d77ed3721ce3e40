#!/usr/bin/env bash
# Delivery-throughput benchmark (see BENCHMARKS.md). Usage: run-delivery-load.sh MODE [MESSAGES] [WARMUP]
# MODE is reuse (100 messages per connection) or new (a new TLS connection per message).
# The relay's log (a line per delivery attempt) goes to integration-tests/target/delivery-load-MODE.log;
# the summary is printed at the end. Extra JVM options for the relay side: DELIVERY_LOAD_JAVA_OPTS.
set -euo pipefail
cd "$(dirname "$0")/.."
. integration-tests/bench-classpath.sh
log="integration-tests/target/delivery-load-${1:-reuse}.log"
# a fixed, pre-touched heap: page faults and heap resizing would show up as relay CPU; the
# production logging configuration, so the attempt lines cost what they cost in production
"$JAVA_HOME/bin/java" -Xms1g -Xmx1g -XX:+AlwaysPreTouch -Dlogback.configurationFile=config/logback.xml \
  ${DELIVERY_LOAD_JAVA_OPTS:-} -cp "$cp" dev.relay.it.bench.DeliveryLoad "$@" >"$log" 2>&1 \
  || { tail -30 "$log"; exit 1; }
grep -E '^(mode|throughput|cpu|relay threads|sink|load average)' "$log"
