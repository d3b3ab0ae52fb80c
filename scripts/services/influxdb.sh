#!/usr/bin/env bash
# InfluxDB 1.x (apt package, 1.6.7 on Debian 12) as a plain local process, on loopback only.
#
#   scripts/services/influxdb.sh install              install influxdb + influxdb-client with apt-get if influxd is missing
#   scripts/services/influxdb.sh start  [PORT] [--auth]  start influxd (HTTP API on 127.0.0.1:PORT); no-op when running
#   scripts/services/influxdb.sh stop   [PORT]        stop it by its recorded PID (TERM, then KILL after 10 s)
#   scripts/services/influxdb.sh status [PORT]        exit 0 and print "running" when /ping answers
#
# PORT defaults to 18086; the RPC (backup) bind address uses PORT+1.
# State lives in ${VIGIL_SERVICES_DIR:-<repo>/.vigil/services}/influxdb-PORT/ (meta, data, wal, conf, log, pid).
# --auth (or INFLUX_AUTH=true) enables [http] auth-enabled; create the first admin user through /query.
# The same script is used by users, CI and the JUnit InfluxDbExtension.
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
SERVICES_DIR="${VIGIL_SERVICES_DIR:-$REPO/.vigil/services}"
DEFAULT_PORT=18086
READY_TIMEOUT_S=30
STOP_GRACE_S=10

usage() {
  echo "usage: $0 install|start|stop|status [PORT] [--auth]" >&2
  exit 2
}

instance_dir() { echo "$SERVICES_DIR/influxdb-$1"; }
pid_file() { echo "$(instance_dir "$1")/influxd.pid"; }
log_file() { echo "$(instance_dir "$1")/influxd.log"; }

ping_ok() {
  curl -fsS -o /dev/null --max-time 2 "http://127.0.0.1:$1/ping" 2>/dev/null
}

recorded_pid_alive() {
  local pf
  pf="$(pid_file "$1")"
  [[ -f "$pf" ]] && kill -0 "$(cat "$pf")" 2>/dev/null
}

cmd_install() {
  if command -v influxd >/dev/null 2>&1; then
    echo "influxd already installed: $(command -v influxd)"
    return 0
  fi
  local sudo=""
  if [[ "$(id -u)" != 0 ]]; then sudo="sudo"; fi
  echo "installing influxdb influxdb-client with apt-get ..."
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  # The Debian package's postinst tries to start a system service; without systemd that fails harmlessly.
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends influxdb influxdb-client \
    >/dev/null
  command -v influxd >/dev/null 2>&1 || { echo "influxd still not on PATH after install" >&2; exit 1; }
  echo "installed: $(influxd version 2>/dev/null || command -v influxd)"
}

write_config() {
  local port="$1" auth="$2" dir
  dir="$(instance_dir "$port")"
  cat >"$dir/influxd.conf" <<CONF
reporting-enabled = false
bind-address = "127.0.0.1:$((port + 1))"

[meta]
  dir = "$dir/meta"

[data]
  dir = "$dir/data"
  wal-dir = "$dir/wal"
  query-log-enabled = false

[coordinator]
  write-timeout = "10s"

[monitor]
  store-enabled = false

[http]
  enabled = true
  bind-address = "127.0.0.1:$port"
  auth-enabled = $auth
  log-enabled = false

[logging]
  level = "warn"

[continuous_queries]
  enabled = false
CONF
}

cmd_start() {
  local port="$1" auth="$2" dir pid waited
  if recorded_pid_alive "$port"; then
    echo "influxdb already running on 127.0.0.1:$port (pid $(cat "$(pid_file "$port")"))"
    return 0
  fi
  if ping_ok "$port"; then
    echo "port $port already answers /ping but was not started by this script (no live pid file)" >&2
    exit 1
  fi
  command -v influxd >/dev/null 2>&1 || {
    echo "influxd is not installed: run 'scripts/services/influxdb.sh install'" >&2
    exit 1
  }
  dir="$(instance_dir "$port")"
  mkdir -p "$dir/meta" "$dir/data" "$dir/wal"
  write_config "$port" "$auth"
  nohup influxd -config "$dir/influxd.conf" >>"$(log_file "$port")" 2>&1 </dev/null &
  pid=$!
  echo "$pid" >"$(pid_file "$port")"
  waited=0
  until ping_ok "$port"; do
    if ! kill -0 "$pid" 2>/dev/null; then
      echo "influxd exited during start-up; last log lines ($(log_file "$port")):" >&2
      tail -n 20 "$(log_file "$port")" >&2 || true
      rm -f "$(pid_file "$port")"
      exit 1
    fi
    if ((waited >= READY_TIMEOUT_S * 10)); then
      echo "influxd did not answer /ping on 127.0.0.1:$port within ${READY_TIMEOUT_S}s; last log lines:" >&2
      tail -n 20 "$(log_file "$port")" >&2 || true
      exit 1
    fi
    sleep 0.1
    waited=$((waited + 1))
  done
  echo "influxdb running on http://127.0.0.1:$port (pid $pid, auth=$auth, dir $dir)"
}

cmd_stop() {
  local port="$1" pf pid waited
  pf="$(pid_file "$port")"
  if ! recorded_pid_alive "$port"; then
    rm -f "$pf"
    echo "influxdb on port $port is not running"
    return 0
  fi
  pid="$(cat "$pf")"
  kill -TERM "$pid" 2>/dev/null || true
  waited=0
  while kill -0 "$pid" 2>/dev/null; do
    if ((waited >= STOP_GRACE_S * 10)); then
      echo "influxd (pid $pid) ignored TERM for ${STOP_GRACE_S}s; sending KILL" >&2
      kill -KILL "$pid" 2>/dev/null || true
      break
    fi
    sleep 0.1
    waited=$((waited + 1))
  done
  # Wait for a killed process to disappear so the port is free for a restart.
  while kill -0 "$pid" 2>/dev/null; do sleep 0.1; done
  rm -f "$pf"
  echo "influxdb on port $port stopped (pid $pid)"
}

cmd_status() {
  local port="$1"
  if recorded_pid_alive "$port" && ping_ok "$port"; then
    echo "running on http://127.0.0.1:$port (pid $(cat "$(pid_file "$port")"))"
    return 0
  fi
  echo "not running (port $port)"
  return 3
}

main() {
  [[ $# -ge 1 ]] || usage
  local action="$1" port="$DEFAULT_PORT" auth="${INFLUX_AUTH:-false}"
  shift
  for arg in "$@"; do
    case "$arg" in
      --auth) auth=true ;;
      '' | *[!0-9]*) usage ;;
      *) port="$arg" ;;
    esac
  done
  case "$action" in
    install) cmd_install ;;
    start) cmd_start "$port" "$auth" ;;
    stop) cmd_stop "$port" ;;
    status) cmd_status "$port" ;;
    *) usage ;;
  esac
}

main "$@"
