#!/usr/bin/env bash
# Submits a job jar to a running Flink cluster through its REST API and prints the job id (one line, stdout).
#
#   scripts/flink-submit.sh [--rest URL] [--entry-class CLASS] [--parallelism N] [--savepoint PATH] JAR [ARGS...]
#   ./vigil submit ...                         the same
#
# URL defaults to http://127.0.0.1:$FLINK_REST_PORT (scripts/stack.env). ARGS go to the job's main, e.g.
#   ./vigil submit pipeline/target/vigil-pipeline-0.1.0-SNAPSHOT-job.jar --source.type kafka --sink.type influxdb
# --savepoint resumes from a savepoint (or a retained checkpoint) folder.
#
# What it does: POST /jars/upload (multipart field "jarfile"), then POST /jars/<id>/run with entryClass,
# programArgsList, parallelism (and savepointPath); the uploaded jar is deleted again (DELETE /jars/<id>).
# The same with Flink's own client, for a cluster from flink-dist or the flink image:
#   flink run -m 127.0.0.1:18081 -d -p 2 -c dev.vigil.pipeline.TelemetryJob JAR --source.type kafka ...
# (-s PATH to resume from a savepoint; 'flink stop --savepointPath DIR JOB_ID' stops with a savepoint.)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=stack.env
source "$ROOT/scripts/stack.env"
REST="http://127.0.0.1:$FLINK_REST_PORT"
ENTRY_CLASS=dev.vigil.pipeline.TelemetryJob
PARALLELISM=""
SAVEPOINT=""

die() { echo "flink-submit.sh: $*" >&2; exit 1; }

while [ $# -gt 0 ]; do
  case "$1" in
    --rest) REST="${2%/}"; shift 2 ;;
    --entry-class) ENTRY_CLASS="$2"; shift 2 ;;
    --parallelism) PARALLELISM="$2"; shift 2 ;;
    --savepoint) SAVEPOINT="$2"; shift 2 ;;
    -h|--help) sed -n '2,16p' "$0"; exit 0 ;;
    *) break ;;
  esac
done
[ $# -ge 1 ] || die "usage: $0 [--rest URL] [--entry-class CLASS] [--parallelism N] [--savepoint PATH] JAR [ARGS...]"
JAR="$1"; shift
[ -f "$JAR" ] || die "no such jar: $JAR"
command -v jq >/dev/null || die "jq is needed (apt-get install jq)."

upload=$(curl -fsS -X POST -H "Expect:" -F "jarfile=@$JAR;type=application/x-java-archive" "$REST/jars/upload") \
  || die "uploading $JAR to $REST failed (is the cluster running? scripts/services/flink.sh status)."
jar_id=$(jq -r '.filename' <<<"$upload" | xargs basename)
[ -n "$jar_id" ] && [ "$jar_id" != null ] || die "unexpected upload answer: $upload"

body=$(jq -n --arg entry "$ENTRY_CLASS" --arg p "$PARALLELISM" --arg sp "$SAVEPOINT" '$ARGS.positional as $args
  | {entryClass: $entry, programArgsList: $args}
  + (if $p == "" then {} else {parallelism: ($p | tonumber)} end)
  + (if $sp == "" then {} else {savepointPath: $sp} end)' --args -- "$@")
run=$(curl -sS -X POST -H 'Content-Type: application/json' -d "$body" "$REST/jars/$jar_id/run")
curl -fsS -X DELETE "$REST/jars/$jar_id" >/dev/null 2>&1 || true
job_id=$(jq -r '.jobid // empty' <<<"$run" 2>/dev/null || true)
[ -n "$job_id" ] || die "running the job failed: $(jq -r '.errors // . | tostring' <<<"$run" 2>/dev/null || echo "$run")"
echo "$job_id"
