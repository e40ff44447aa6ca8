#!/usr/bin/env bash
# README's run command: bring up the services and run the backend on http://localhost:8080 (dev mode).
# Ctrl-C stops the backend and the services this run started. Extra arguments go to Maven.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"

record=$(mktemp)
trap 'scripts/services.sh down --record "$record" || true; rm -f "$record"' EXIT
scripts/services.sh up --record "$record"
url=http://localhost:${HTTP_PORT:-8080}
cat <<INFO

  Backend    $url
  API docs   $url/q/swagger-ui
  Health     $url/q/health
  Dashboard  $url/admin   (operators; paste a token from scripts/mint-token.sh operator)
  Tokens     scripts/mint-token.sh viewer|producer|operator|payment-service [SUBJECT]

INFO
./mvnw quarkus:dev "$@"
