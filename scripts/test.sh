#!/usr/bin/env bash
# README's test command: check deploy/ offline (scripts/check-deploy.sh), bring up the services, run the whole suite
# (./mvnw verify), then stop exactly the services this run
# started. Exits non-zero when any part fails.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"

scripts/check-deploy.sh

record=$(mktemp)
# `|| true`: a failing cleanup must not replace Maven's exit code.
trap 'scripts/services.sh down --record "$record" || true; rm -f "$record"' EXIT
scripts/services.sh up --record "$record" --with-browser
./mvnw -B verify "$@"
