#!/usr/bin/env bash
# Checks deploy/ offline (part of README's test command): every kustomize overlay rendered with `kubectl kustomize`
# and each rendered object validated against the Kubernetes and KEDA schemas (npm's kubernetes-models), unknown
# fields and dangling references refused, Secrets holding placeholders only; deploy/compose.yaml validated against
# the Compose specification's schema. deploy/check/check.test.mjs also breaks copies of the manifests on purpose and
# expects each to be rejected. Installs what it needs: npm ci in deploy/check (as for the browser test).
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
CHECK_DIR=$ROOT/deploy/check
KUBECTL=${KUBECTL:-kubectl}
export KUBECTL

die() { printf 'error: %s\n' "$*" >&2; exit 1; }

command -v node >/dev/null && command -v npm >/dev/null || die "node and npm are missing: install Node.js 20+ with npm"
command -v "$KUBECTL" >/dev/null \
  || die "kubectl is missing: it renders the kustomize overlays offline (kubectl 1.27+, or set KUBECTL)"
if [ ! -d "$CHECK_DIR/node_modules" ] || [ "$CHECK_DIR/package-lock.json" -nt "$CHECK_DIR/node_modules" ]; then
  echo "deploy:   npm ci in deploy/check"
  log=$(mktemp)
  (cd "$CHECK_DIR" && npm ci --no-audit --no-fund) </dev/null >"$log" 2>&1 \
    || { tail -n 20 "$log" >&2; rm -f "$log"; die "npm ci failed in $CHECK_DIR"; }
  rm -f "$log"
  touch "$CHECK_DIR/node_modules"
fi
node "$CHECK_DIR/check.mjs"
node --test "$CHECK_DIR/"
