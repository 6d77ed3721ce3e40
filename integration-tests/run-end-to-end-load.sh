#!/usr/bin/env bash
# End-to-end benchmark (issue 14, see BENCHMARKS.md): accept from clients that do not pipeline
# and deliver over STARTTLS at the same time, every domain with an MTA-STS enforce policy.
# Usage: run-end-to-end-load.sh SESSIONS [MESSAGES] [DOMAINS] [WARMUP-MESSAGES]
# The relay's log goes to integration-tests/target/end-to-end-SESSIONS-DOMAINS.log; the summary
# is printed at the end. Extra JVM options for the relay side: END_TO_END_JAVA_OPTS.
set -euo pipefail
cd "$(dirname "$0")/.."
. integration-tests/bench-run.sh
run_relay_bench "integration-tests/target/end-to-end-${1:-8}-${3:-1}.log" \
  '^(relay started|sessions|warm-up|measured|sink|load average)' EndToEndLoad "${END_TO_END_JAVA_OPTS:-}" "$@"
