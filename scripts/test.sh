#!/usr/bin/env bash
# README's test command: check deploy/ offline (scripts/check-deploy.sh), bring up the services, run the whole suite
# (./mvnw verify, which also packages the app), run every benchmark in its quick mode against the packaged app
# (scripts/bench/quick.sh: tiny media, short loads; checks that each benchmark works, not its speed targets), then
# stop exactly the services this run started. Exits non-zero when any part fails.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"

scripts/check-deploy.sh

record=$(mktemp)
# `|| true`: a failing cleanup must not replace Maven's exit code.
trap 'scripts/services.sh down --record "$record" || true; rm -f "$record"' EXIT
scripts/services.sh up --record "$record" --with-browser
./mvnw -B verify "$@"
scripts/bench/quick.sh
