#!/usr/bin/env bash
# README's run command: bring up the services and run the backend on http://localhost:8080 (dev mode).
# Ctrl-C stops the backend and the services this run started.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"

record=$(mktemp)
trap 'scripts/services.sh down --record "$record"; rm -f "$record"' EXIT
scripts/services.sh up --record "$record"
port=${HTTP_PORT:-8080}
cat <<INFO

  API        http://localhost:$port/api/v1/series
  API docs   http://localhost:$port/q/swagger-ui
  Health     http://localhost:$port/q/health
  Metrics    http://localhost:$port/q/metrics
  Tokens     scripts/mint-token.sh producer|viewer|operator [subject]

INFO
./mvnw -B quarkus:dev -Dquarkus.console.enabled=false
