# Sourced (not run) by the bench scripts that start the service on an Elasticsearch node of their
# own: one way to wait for it and to stop both. The caller keeps the service's pid in
# service_pid and the node's name (scripts/elasticsearch) in es_name.

# Stops the service (TERM, KILL after 30 s) and purges the node, whichever of them was started.
stop_service_and_node() {
  if [ -n "${service_pid:-}" ]; then
    kill "$service_pid" 2>/dev/null || true
    for _ in $(seq 30); do kill -0 "$service_pid" 2>/dev/null || break; sleep 1; done
    kill -9 "$service_pid" 2>/dev/null || true
    service_pid=""
  fi
  if [ -n "${es_name:-}" ]; then
    scripts/elasticsearch stop --name "$es_name" --purge >/dev/null 2>&1 || true
    es_name=""
  fi
}

# Waits until the service on 127.0.0.1:$1 (pid $2, log file $3) is ready; fails, with the tail
# of its log, if it exits or is not ready within 180 s.
await_ready() {
  local deadline=$(( SECONDS + 180 ))
  until curl -fsS --max-time 2 "http://127.0.0.1:$1/actuator/health/readiness" 2>/dev/null | grep -q '"UP"'; do
    kill -0 "$2" 2>/dev/null || { echo "the service exited before it was ready:" >&2; tail -n 40 "$3" >&2; return 1; }
    [ "$SECONDS" -lt "$deadline" ] || { echo "the service was not ready within 180 s" >&2; tail -n 40 "$3" >&2; return 1; }
    sleep 1
  done
}
