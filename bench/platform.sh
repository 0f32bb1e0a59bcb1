# Sourced by the platform benchmarks: start `rlhf up` on a throw-away data folder and stop it on exit.
#   start_platform NAME PORT [UP-OPTIONS...]    sets PLATFORM_PID, PLATFORM_LOG, PLATFORM_DATA, PLATFORM_PASSWORD
# RLHF_BENCH_UP_OPTIONS adds options to `rlhf up`, e.g. --no-reward-model to measure without the worker.
# The platform is stopped with SIGTERM, not SIGINT: a background job of a non-interactive script ignores
# SIGINT. The launcher stops the backend, then Kafka, then PostgreSQL. The log outlives the run, in
# ${TMPDIR:-/tmp}/rlhf-bench-NAME-platform.log, for the incident ids of any 5xx a driver reports.
PLATFORM_CLASSPATH="deploy/target/classes:deploy/target/lib/*"

start_platform() {
  local name=$1 port=$2
  shift 2
  PLATFORM_DATA=$(mktemp -d)
  PLATFORM_PASSWORD="bench-$(date +%s)-$RANDOM"
  PLATFORM_LOG="$PLATFORM_DATA/platform.log"
  PLATFORM_KEPT_LOG="${TMPDIR:-/tmp}/rlhf-bench-$name-platform.log"
  RLHF_ADMIN_PASSWORD=$PLATFORM_PASSWORD java -cp "$PLATFORM_CLASSPATH" dev.rlhf.deploy.Rlhf up "$@" ${RLHF_BENCH_UP_OPTIONS:-} \
      --port "$port" --data-dir "$PLATFORM_DATA" >"$PLATFORM_LOG" 2>&1 &
  PLATFORM_PID=$!
  trap stop_platform EXIT
  for _ in $(seq 1 240); do
    grep -q 'rlhf is up' "$PLATFORM_LOG" 2>/dev/null && break
    kill -0 "$PLATFORM_PID" 2>/dev/null || break
    sleep 1
  done
  grep -q 'rlhf is up' "$PLATFORM_LOG" || { tail -50 "$PLATFORM_LOG"; echo "$name: the platform did not start" >&2; exit 1; }
  echo "bench $name: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg); platform on port $port"
}

stop_platform() {
  local rc=$?
  kill -TERM "$PLATFORM_PID" 2>/dev/null || true
  wait "$PLATFORM_PID" 2>/dev/null || true
  cp "$PLATFORM_LOG" "$PLATFORM_KEPT_LOG" 2>/dev/null && echo "platform log kept in $PLATFORM_KEPT_LOG" >&2
  rm -rf "$PLATFORM_DATA"
  exit $rc
}
