#!/usr/bin/env bash
# Start-up with a large queue (issue 14, see BENCHMARKS.md). Usage: run-startup-load.sh [MESSAGES] [HEAP] [SIZE]
# Fills /tmp/startup-load-MESSAGES once (kept for later runs; -Dload.refill=true in
# STARTUP_LOAD_JAVA_OPTS makes it again), starts the relay on it with -XmxHEAP in a JVM of its
# own, and prints the time to the first 220, to ready, and the heap after a full GC.
set -euo pipefail
cd "$(dirname "$0")/.."
. integration-tests/bench-classpath.sh
# the filling JVM holds the whole queue's index: a large heap
"$JAVA_HOME/bin/java" -Xmx3g ${STARTUP_LOAD_JAVA_OPTS:-} -cp "$cp" dev.relay.it.bench.StartupLoad "$@"
