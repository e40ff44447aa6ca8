#!/usr/bin/env bash
# Mints a DEV-ONLY RS256 token for local use: scripts/mint-token.sh ROLE [SUBJECT] [TTL_SECONDS]
# ROLE is one of viewer, producer, operator, payment-service. Signed with deploy/dev-keys/jwt-private.pem
# (override with JWT_PRIVATE_KEY), which only the dev and test profiles trust.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
role=${1:-}
case "$role" in
  viewer|producer|operator|payment-service) ;;
  *) echo "usage: scripts/mint-token.sh viewer|producer|operator|payment-service [SUBJECT] [TTL_SECONDS]" >&2; exit 2 ;;
esac
subject=${2:-$role-1}
ttl=${3:-3600}
case "$subject" in *[\"\\]*|'') echo "SUBJECT must not be empty or contain \" or \\" >&2; exit 2 ;; esac
case "$ttl" in ''|*[!0-9]*) echo "TTL_SECONDS must be a whole number" >&2; exit 2 ;; esac
key=${JWT_PRIVATE_KEY:-$ROOT/deploy/dev-keys/jwt-private.pem}
issuer=${JWT_ISSUER:-https://microdrama.local}

b64url() { openssl base64 -A | tr '+/' '-_' | tr -d '='; }
now=$(date +%s)
header=$(printf '{"alg":"RS256","typ":"JWT"}' | b64url)
payload=$(printf '{"iss":"%s","sub":"%s","upn":"%s","groups":["%s"],"iat":%d,"exp":%d,"jti":"%s"}' \
  "$issuer" "$subject" "$subject" "$role" "$now" $((now + ttl)) "$(openssl rand -hex 16)" | b64url)
signature=$(printf '%s.%s' "$header" "$payload" | openssl dgst -sha256 -sign "$key" -binary | b64url)
printf '%s.%s.%s\n' "$header" "$payload" "$signature"
