# Sourced by the benchmark runners (from the repository root): builds the classpath
# (bench-classpath.sh) and defines run_relay_bench. run_relay_bench LOG PATTERN CLASS OPTS ARGS...
# runs dev.relay.it.bench.CLASS with ARGS (and the extra JVM options OPTS, split at spaces) in a
# fixed, pre-touched heap, as page faults and heap resizing would show up as relay CPU, and with
# the production logging configuration, so the log lines cost what they cost in production. Its
# output goes to LOG; then the summary lines matching PATTERN are printed (the log's tail if it failed).
. integration-tests/bench-classpath.sh

run_relay_bench() {
  local log="$1" pattern="$2" class="$3" opts="$4"
  shift 4
  # shellcheck disable=SC2086 # OPTS is a list of options
  "$JAVA_HOME/bin/java" -Xms1g -Xmx1g -XX:+AlwaysPreTouch -Dlogback.configurationFile=config/logback.xml \
    $opts -cp "$cp" "dev.relay.it.bench.$class" "$@" >"$log" 2>&1 \
    || { tail -30 "$log"; exit 1; }
  grep -E "$pattern" "$log"
}
