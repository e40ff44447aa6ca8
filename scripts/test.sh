#!/usr/bin/env bash
# README's test command: bring up the services, run the whole suite (./mvnw verify), then stop exactly the
# services this run started. Exits with Maven's code.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"

record=$(mktemp)
# `|| true`: a failing cleanup must not replace Maven's exit code.
trap 'scripts/services.sh down --record "$record" || true; rm -f "$record"' EXIT
scripts/services.sh up --record "$record" --with-browser
./mvnw -B verify "$@"
