#!/usr/bin/env bash
# Makes an ahead-of-time cache for the relay (JDK 25, JEP 483/514/515): classes loaded and
# linked, and method profiles, from a training run, so that a relay started with
# -XX:AOTCache=FILE greets sooner and reaches its warm speed after fewer messages (BENCHMARKS.md,
# issue 14). A cache fits only the JDK build and the jar it was made with; with another, java
# says so on stderr and runs without it.
#
#   aot-train.sh JAVA JAR OUTPUT [MESSAGES]
#
# The training run: the relay from JAR on a loopback listener, a spool in a temp directory and
# delivery pointed at a DNS port where nothing answers; MESSAGES messages (default 2000) are
# submitted over SMTP, then the relay is stopped (SIGTERM) and java writes the cache as it exits.
# Needs bash (its /dev/tcp) and nothing else: it runs in the Docker image's build too.
set -euo pipefail

java=${1:?usage: aot-train.sh JAVA JAR OUTPUT [MESSAGES]}
jar=${2:?usage: aot-train.sh JAVA JAR OUTPUT [MESSAGES]}
output=${3:?usage: aot-train.sh JAVA JAR OUTPUT [MESSAGES]}
messages=${4:-2000}

work=$(mktemp -d)
pid=
cleanup() {
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
    kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

cat >"$work/relay.yaml" <<EOF
hostname: aot-training.invalid
listeners:
  - address: 127.0.0.1:0
    starttls: off
    auth: off
relay-networks: [127.0.0.0/8]
spool:
  directory: $work/spool
  min-free-space: 1MB
delivery:
  dns:
    servers: [127.0.0.1:9]
mta-sts:
  cache-directory: $work/mta-sts
admin:
  address: 127.0.0.1:0
EOF

rm -f "$output"
"$java" -XX:AOTCacheOutput="$output" -jar "$jar" run --config "$work/relay.yaml" >"$work/relay.log" 2>&1 &
pid=$!

# the listener was configured on port 0: its real port is in the start-up line
port=
for _ in $(seq 1 600); do
  port=$(sed -n 's/.*SMTP listener .* bound to 127\.0\.0\.1:\([0-9]*\).*/\1/p' "$work/relay.log" | head -1)
  [ -n "$port" ] && break
  kill -0 "$pid" 2>/dev/null || { cat "$work/relay.log" >&2; echo "aot-train: the relay stopped" >&2; exit 1; }
  sleep 0.1
done
[ -n "$port" ] || { echo "aot-train: the relay did not start within 60 s" >&2; exit 1; }

# one SMTP session: greeting, EHLO, then MAIL, RCPT, DATA and a small message each waiting for
# its reply (as most clients do), the messages in turn to a few domains
exec 3<>"/dev/tcp/127.0.0.1/$port"
reply() {
  local line
  while IFS= read -r -t 30 line <&3; do
    [[ "$line" =~ ^[0-9]{3}\  ]] && { REPLY_CODE=${line:0:3}; REPLY_LINE=$line; return 0; }
  done
  echo "aot-train: no reply from the relay" >&2
  exit 1
}
reply
printf 'EHLO aot-training.invalid\r\n' >&3
reply
body=$(printf 'From: training@aot-training.invalid\r\nSubject: AOT training\r\n\r\n'; for i in $(seq 1 40); do printf 'line %d of a message that trains the ahead-of-time cache\r\n' "$i"; done)
body=${body%$'\r'} # $(...) took the last line's LF: its CR goes too, the end of data adds both
for i in $(seq 1 "$messages"); do
  printf 'MAIL FROM:<training@aot-training.invalid>\r\n' >&3
  reply
  printf 'RCPT TO:<rcpt%d@d%d.aot-training.invalid>\r\n' "$i" $((i % 10)) >&3
  reply
  printf 'DATA\r\n' >&3
  reply
  printf '%s\r\n.\r\n' "$body" >&3
  reply
  [ "$REPLY_CODE" = 250 ] || { echo "aot-train: message $i refused: $REPLY_LINE" >&2; exit 1; }
done
printf 'QUIT\r\n' >&3
exec 3<&-

kill -TERM "$pid"
wait "$pid" || true
pid=
[ -s "$output" ] || { tail -20 "$work/relay.log" >&2; echo "aot-train: no cache written" >&2; exit 1; }
echo "aot-train: $output written ($(du -h "$output" | cut -f1)) after $messages training messages" >&2
