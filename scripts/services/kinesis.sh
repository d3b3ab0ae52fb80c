#!/usr/bin/env bash
# Kinesis emulator (kinesis-local: kinesis-mock compiled to JavaScript, from npm) for development and tests, on
# loopback. Speaks the Kinesis API over plain HTTP (and TLS on PORT+1); any dummy AWS credentials, region us-east-1.
#
#   scripts/services/kinesis.sh install          npm install kinesis-local into $VIGIL_SERVICES_DIR/kinesis-local
#   scripts/services/kinesis.sh start [PORT]     start on 127.0.0.1:PORT (default 14567, TLS on PORT+1); no-op when
#                                                running. Streams from $KINESIS_STREAMS ("name:shards,...") are
#                                                created at start.
#   scripts/services/kinesis.sh stop             stop the emulator started by this script (by its PID); data is lost
#   scripts/services/kinesis.sh status           exit 0 and print the port when running, exit 1 otherwise
#
# Environment: VIGIL_SERVICES_DIR (default <repo>/.vigil/services), VIGIL_KINESIS_HOME (the npm install folder,
# default $VIGIL_SERVICES_DIR/kinesis-local), KINESIS_STREAMS (e.g. "vigil-envelopes:2").
# Slow (~1.5k records/s put): keep test volumes small.
set -euo pipefail

VERSION="0.6.2"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
SERVICES_DIR="${VIGIL_SERVICES_DIR:-$ROOT/.vigil/services}"
HOME_DIR="${VIGIL_KINESIS_HOME:-$SERVICES_DIR/kinesis-local}"
PKG="$HOME_DIR/node_modules/kinesis-local"
DIR="$SERVICES_DIR/kinesis"
PID_FILE="$DIR/kinesis.pid"
PORT_FILE="$DIR/port"
LOG="$DIR/kinesis.log"
DEFAULT_PORT=14567

die() { echo "kinesis.sh: $*" >&2; exit 1; }

running_pid() {
  [ -f "$PID_FILE" ] || return 1
  local pid; pid=$(cat "$PID_FILE")
  kill -0 "$pid" 2>/dev/null && echo "$pid"
}

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

installed() { [ -f "$PKG/main.js" ] && [ -f "$PKG/server.json" ]; }

install() {
  if installed; then
    echo "kinesis-local $VERSION is installed in $HOME_DIR"
    return 0
  fi
  command -v npm >/dev/null || die "npm not found: install Node.js 18+ (e.g. apt-get install nodejs npm)."
  mkdir -p "$HOME_DIR"
  npm install --prefix "$HOME_DIR" --no-audit --no-fund --loglevel=error "kinesis-local@$VERSION" >&2 \
    || die "npm install kinesis-local@$VERSION failed (see above)."
  installed || die "kinesis-local installed, but $PKG/main.js or server.json is missing."
  echo "kinesis-local $VERSION installed in $HOME_DIR"
}

start() {
  local port="${1:-$DEFAULT_PORT}"
  local tls_port=$((port + 1))
  installed || die "kinesis-local is not installed: run '$0 install'."
  command -v node >/dev/null || die "node not found: install Node.js 18+."
  if pid=$(running_pid); then
    echo "kinesis-local is already running (pid $pid, port $(cat "$PORT_FILE"))"
    return 0
  fi
  for p in "$port" "$tls_port"; do
    port_open "$p" && die "port $p is already in use by another process: pass another port ('$0 start PORT', PORT+1 is its TLS port)."
  done
  mkdir -p "$DIR"
  # It crashes without KINESIS_MOCK_CERT_PATH (the TLS listener's certificate ships with the package).
  KINESIS_MOCK_CERT_PATH="$PKG/server.json" \
  KINESIS_MOCK_PLAIN_PORT="$port" \
  KINESIS_MOCK_TLS_PORT="$tls_port" \
  INITIALIZE_STREAMS="${KINESIS_STREAMS:-}" \
  LOG_LEVEL="${KINESIS_LOG_LEVEL:-WARN}" \
    nohup node "$PKG/main.js" >"$LOG" 2>&1 &
  echo $! >"$PID_FILE"
  echo "$port" >"$PORT_FILE"
  for _ in $(seq 1 300); do
    if port_open "$port"; then
      echo "kinesis-local started on 127.0.0.1:$port (pid $(cat "$PID_FILE"), log $LOG)"
      return 0
    fi
    running_pid >/dev/null || break
    sleep 0.1
  done
  tail -40 "$LOG" >&2 || true
  stop >/dev/null 2>&1 || true
  die "kinesis-local did not open port $port within 30 s (log above)."
}

stop() {
  local pid
  if ! pid=$(running_pid); then
    rm -f "$PID_FILE"
    echo "kinesis-local is not running"
    return 0
  fi
  # It may ignore SIGTERM after an enhanced fan-out subscription: 5 s, then SIGKILL.
  kill "$pid" 2>/dev/null || true
  for _ in $(seq 1 50); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  kill -0 "$pid" 2>/dev/null && kill -9 "$pid"
  rm -f "$PID_FILE"
  echo "kinesis-local stopped (pid $pid)"
}

status() {
  local pid
  if pid=$(running_pid); then
    echo "kinesis-local running: pid $pid, port $(cat "$PORT_FILE")"
    return 0
  fi
  echo "kinesis-local not running"
  return 1
}

case "${1:-}" in
  install) install ;;
  start) start "${2:-}" ;;
  stop) stop ;;
  status) status ;;
  *) echo "usage: $0 install|start [PORT]|stop|status" >&2; exit 2 ;;
esac
