#!/usr/bin/env bash
# Viewer analytics benchmarks (issue 14):
#   1. ingest: POST /api/v1/events with player batches (analytics-load/load.mjs: BATCH events each, VIEWERS
#      distinct viewers in turn, fresh ids), app on CPU 0, load on CPU 1. Peak events/s from back-to-back
#      requests (autocannon; target >= 20,000); p99 of the 202 (202 = committed to PostgreSQL) at a constant rate
#      of half the peak, open loop (each request due at a fixed time, its latency counted from then; target <= 50 ms).
#      Every acknowledged event must be found stored.
#   2. the producer's analytics answer for a 100-episode series over 30 days with RAW_EVENTS raw events stored
#      (default 10 M: viewers' sessions generated with SQL into the real day partitions, then folded by the app's
#      own RollupJob into the rollups and Redis sketches the answer reads): lib.sh's peak, and its p99 at a
#      constant half-peak rate (half_load; target <= 50 ms).
# lib.sh's conventions: a warm-up before each of RUNS runs, median judged and spread shown; any non-2xx answer, or
# a constant-rate ingest run that falls more than 5 % short of its rate, fails the run; exits 1 when a target is
# missed. The set-up is kept in its own database, ${BENCH_DB}_RAW_EVENTS, and reused by later runs (FRESH=1
# rebuilds it); events the ingest runs add are removed before each run. The rollup is off while the measures run
# (its own rate is measured in the set-up and reported).
# Quick mode: 30,000 raw events folded a day per transaction, 200 viewers, short loads, one run; its set-up is
# always rebuilt and removed afterwards (its database and its Redis keys).
#   scripts/bench/analytics.sh [--quick] [SECONDS_PER_RUN=15]
#   env: RAW_EVENTS, BATCH (20), VIEWERS (5000), CONNECTIONS (32), BENCH_REDIS_DB (9), FRESH, PROFILE_DIR (JFR),
#        FOLD_SPAN (the set-up rollup's span per transaction, 1h; 1d for small sets), NO_REPORT
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
set -- "${BENCH_ARGS[@]}"
RUN_SECONDS=${1:-$(pick 15 2)}
RAW_EVENTS=${RAW_EVENTS:-$(pick 10000000 30000)}
FOLD_SPAN=${FOLD_SPAN:-$(pick 1h 1d)}
BATCH=${BATCH:-20}
VIEWERS=${VIEWERS:-$(pick 5000 200)}
[ -z "$QUICK" ] || FRESH=1
DB=${DB}_$RAW_EVENTS   # the kept set-up, one per size
LOAD_DIR=$BENCH_DIR/analytics-load
REDIS_DB=${BENCH_REDIS_DB:-9}
REDIS=(redis-cli -h "${REDIS_HOST:-127.0.0.1}" -p "${REDIS_PORT:-6379}" -n "$REDIS_DB")
APP_ENV=(REDIS_URL="redis://${REDIS_HOST:-127.0.0.1}:${REDIS_PORT:-6379}/$REDIS_DB" ANALYTICS_VIEWER_EVENTS_PER_MINUTE=100000000)

need_autocannon   # load.mjs takes autocannon from scripts/bench/node_modules

# The app (and a JFR recording per phase when PROFILE_DIR is set) on the kept database; on CPU 0 alone for the
# measures.
run_app() { # phase [VAR=value...]
  local phase=$1; shift
  local profile=()
  [ -n "${PROFILE_DIR:-}" ] && profile=(JAVA_TOOL_OPTIONS="-XX:StartFlightRecording=filename=$PROFILE_DIR/analytics-$phase.jfr,settings=profile,dumponexit=true")
  KEEP_DATABASE=1 start_app "${APP_ENV[@]}" "${profile[@]}" "$@"
  [ "$phase" != measure ] || pin_app
}
sql() { "${PSQL[@]}" -d "$DB" -v ON_ERROR_STOP=1 -tA "$@"; }

# Drops the set-up's database and its Redis keys (those naming its series or episodes: the Redis database may
# hold other set-ups' sketches).
drop_setup() {
  sql -c "select id from series union all select id from episode" >"$BENCH/setup-ids" 2>/dev/null || true
  if [ -s "$BENCH/setup-ids" ]; then
    "${REDIS[@]}" --scan --pattern 'analytics:*' | grep -F -f "$BENCH/setup-ids" | xargs -r -n 500 "${REDIS[@]}" del >/dev/null || true
  fi
  "${PSQL[@]}" -d postgres -qc "drop database if exists $DB with (force)"
}

# One player_load run pinned to CPU 1; prints load.mjs's JSON line. Fails on any non-2xx answer or error, and when
# a constant-rate run falls more than 5 % short of its rate (a quick run only warns: a busy CI machine).
player_load() { # ingest|get url seconds [rate]
  local out
  out=$(RUN_FOR=$3 RATE=${4:-0} CONNECTIONS=$CONNECTIONS taskset -c 1 node "$LOAD_DIR/load.mjs" "$1" "$2") \
    || die "load.mjs $1 on $2 failed"
  python3 - "$out" "${4:-0}" "${QUICK:-}" <<'PY' || die "the $1 run on $2 failed"
import json, sys
r, rate, quick = json.loads(sys.argv[1]), float(sys.argv[2]), sys.argv[3]
bad = r["non2xx"] or r["errors"] or r["timeouts"]
short = rate and r["rps"] < 0.95 * rate
if bad or (short and not quick):
    sys.exit("failed run: %s (%s)" % (sys.argv[1], "error answers" if bad else "rate not held"))
if short:
    print("warning: rate not held: %s" % sys.argv[1], file=sys.stderr)
PY
  echo "$out"
}
field() { python3 -c 'import json,sys; print(json.loads(sys.argv[1])[sys.argv[2]])' "$1" "$2"; }
# RUNS runs, each after a WARMUP_SECONDS warm-up (its JSON line kept in warm-ups.MODE); prints the runs' JSON lines.
player_runs() { # ingest|get url [rate]
  for _ in $(seq 1 "$RUNS"); do
    player_load "$1" "$2" "$WARMUP_SECONDS" "${3:-}" >>"$BENCH/warm-ups.$1"
    player_load "$1" "$2" "$RUN_SECONDS" "${3:-}"
  done
}

[ -z "$QUICK" ] || BENCH_CLEANUP+=("stop_app; drop_setup")

echo "== set-up: a 100-episode series with $RAW_EVENTS raw events over 30 days, folded by the rollup"
setup=$( { [ -z "${FRESH:-}" ] && sql -d "$DB" -c "select series_id, last_day, raw_events, fold_seconds, generate_seconds from bench_analytics_setup where raw_events = $RAW_EVENTS" 2>/dev/null; } || true)
read -r series last_day _ fold_seconds generate_seconds <<<"$(echo "$setup" | tr '|' ' ')"
if [ -n "${series:-}" ] && [ "$("${REDIS[@]}" exists "analytics:uv:s:$series:day:$(date -u -d "$last_day" +%s)")" = 1 ]; then
  echo "reusing the set-up of $last_day (series $series)"
  run_app measure ANALYTICS_ROLLUP_EVERY=off
else
  drop_setup
  "${PSQL[@]}" -d postgres -qc "create database $DB"
  # A quick run saves an app start: its first app folds too (the watermark, now, keeps the rollup off the generated
  # events until it is moved back below).
  run_app generate ANALYTICS_ROLLUP_EVERY="$(pick off 1s)" ANALYTICS_ROLLUP_MAX_SPAN="$FOLD_SPAN"
  producer=$(scripts/mint-token.sh producer bench-producer)
  series=$(curl -sf -X POST "localhost:$PORT/api/v1/producer/series" -H "Authorization: Bearer $producer" \
    -H 'Content-Type: application/json' \
    -d '{"slug":"bench-analytics","title":"Bench","language":"en","freeEpisodeCount":10,"coinPrice":10}' | json_field id)
  [ -n "$series" ] || die "the bench series was not created"
  curl -sf -X POST "localhost:$PORT/api/v1/producer/series/$series/publish" -H "Authorization: Bearer $producer" >/dev/null
  for n in $(seq 1 100); do
    curl -sf -X POST "localhost:$PORT/api/v1/producer/series/$series/episodes" -H "Authorization: Bearer $producer" \
      -H 'Content-Type: application/json' -d "{\"number\":$n,\"title\":\"Episode $n\"}" >/dev/null
  done
  # Stands in for transcoding: a ready 90 s version per episode, as the worker would leave it.
  sql -q <<SQL
insert into episode_version (id, episode_id, version_number, source_key, source_size, state, hls_prefix, encryption_key, duration_ms, ready_at)
select gen_random_uuid(), id, 1, 'raw/bench', 1, 'ready', 'hls/bench/', decode('00112233445566778899aabbccddeeff', 'hex'), 90000, now()
from episode where series_id = '$series';
update episode e set current_version_id = v.id, state = 'ready', duration_ms = 90000, published = true, published_at = now()
from episode_version v where v.episode_id = e.id and e.series_id = '$series';
SQL
  [ -n "$QUICK" ] || stop_app
  # Viewers' sessions, one UTC day of session starts per statement, written in arrival order as intake would:
  # 60 % start at episode 1, the others anywhere; each goes on to the next episode with probability 0.92 and
  # completes every episode but the last, which they leave at a random point half of the time (else complete).
  # At the first locked episode (11, or where they started if later) the paywall is shown; 35 % unlock (a fifth
  # of them with an ad) and go on, the others stop. Events: playback_start (server), play_start, progress every
  # 10 s, complete or leave; paywall_shown; unlock / ad_unlock (server). Each arrives 0-20 s after it happened.
  last_day=$(date -u -d yesterday +%F)
  # Fewer assumed events a viewer in a quick run: its few hundred viewers vary more around the mean.
  viewers_per_day=$(( RAW_EVENTS / 30 / ${EVENTS_PER_VIEWER:-$(pick 75 60)} + 1 ))
  started=$(date +%s)
  sql -q -c "select analytics_event_partition(d::date) from generate_series(date '$last_day' - 31, date '$last_day' + 1, interval '1 day') as d" >/dev/null
  for d in $(seq 0 29); do
    sql -q <<SQL
set synchronous_commit = off;
insert into analytics_event (occurred_at, viewer_id, event_id, kind, source, episode_id, position_ms, coins, received_at)
with viewers as (
  select v, t0, s, locked, reached, pays, ad, case when reached and not pays then locked - s else want end as len
  from (select v, t0, s, locked, want, locked <= s + want - 1 as reached, pays, ad
        from (select v, t0, s, greatest(s, 11) as locked, least(101 - s, 1 + floor(ln(1 - random()) / ln(0.92))::int) as want,
                     random() < 0.35 as pays, random() < 0.2 as ad
              from (select v, timestamptz '$last_day' - interval '29 days' + ($d + random()) * interval '1 day' as t0,
                           case when random() < 0.6 then 1 else 1 + floor(random() * 100)::int end as s
                    from generate_series($d * $viewers_per_day, ($d + 1) * $viewers_per_day - 1) as v) a) b) c
), watches as (
  select v, t0 + i * interval '100 s' as at, s + i as number,
         case when i = len - 1 and random() < 0.5 then floor(random() * 90)::int end as left_at
  from viewers cross join lateral generate_series(0, len - 1) as i
), positions as (
  select 'bench-viewer-' || w.v as viewer_id, w.number, w.at,
         case when k = 0 then 'playback_start' when k = 1 then 'play_start' when k <= 9 then 'progress'
              when left_at is null then 'complete' else 'leave' end as kind,
         case when k = 0 then 'server' else 'client' end as source,
         case when k = 0 then null when k = 1 then 0 when k <= 9 then (k - 1) * 10000 else coalesce(left_at * 1000, 90000) end as position_ms
  from watches w cross join lateral generate_series(0, 10) as k
  where left_at is null or k <= 1 or (k <= 9 and (k - 1) * 10 < left_at) or k = 10
), events as (
  select viewer_id, number, at + make_interval(secs => case when kind = 'playback_start' then 0 else 1 + position_ms / 1000.0 end) as occurred_at,
         kind, source, position_ms, 0 as coins
  from positions
  union all
  select 'bench-viewer-' || v, locked, t0 + (locked - s) * interval '100 s' - interval '20 s', 'paywall_shown', 'client', 0, 0
  from viewers where reached
  union all
  select 'bench-viewer-' || v, locked, t0 + (locked - s) * interval '100 s' - interval '10 s',
         case when ad then 'ad_unlock' else 'unlock' end, 'server', null, case when ad then 0 else 10 end
  from viewers where reached and pays
)
select ev.occurred_at, ev.viewer_id,
       case when ev.source = 'server' then 'server:' else '' end || ev.kind || '-' || ev.number || '-' || extract(epoch from ev.occurred_at)::bigint,
       ev.kind, ev.source, ep.id, ev.position_ms, ev.coins, ev.occurred_at + random() * interval '20 s' as received_at
from events ev join episode ep on ep.series_id = '$series' and ep.number = ev.number
order by received_at;
SQL
    printf '.'
  done
  echo
  generate_seconds=$(( $(date +%s) - started ))
  generated=$(sql -c "select count(*) from analytics_event where occurred_at < date '$last_day' + 1")
  [ "$generated" -ge "$RAW_EVENTS" ] || die "only $generated raw events in the 30 days; lower EVENTS_PER_VIEWER"
  sql -q -c "analyze analytics_event"
  # The rollup then folds everything from before the first arrival, as the scheduled job would.
  sql -q -c "update analytics_watermark set received_until = (select min(received_at) from analytics_event) - interval '1 s'"
  started=$(date +%s)
  [ -n "$QUICK" ] || run_app fold ANALYTICS_ROLLUP_EVERY=1s ANALYTICS_ROLLUP_MAX_SPAN="$FOLD_SPAN"
  until_arrived=$(sql -c "select max(received_at) from analytics_event")
  until [ "$(sql -c "select received_until >= '$until_arrived' from analytics_watermark")" = t ]; do
    kill -0 "$app_pid" || { tail -n 30 "$BENCH/app.log" >&2; die "the app stopped while folding"; }
    sleep "$(pick 2 0.5)"
  done
  fold_seconds=$(( $(date +%s) - started ))
  stop_app
  sql -q -c "analyze analytics_rollup; analyze analytics_viewer_episode"
  sql -q <<SQL
create table bench_analytics_setup (series_id uuid, last_day date, raw_events bigint, fold_seconds int, generate_seconds int);
insert into bench_analytics_setup values ('$series', '$last_day', $RAW_EVENTS, $fold_seconds, $generate_seconds);
SQL
  run_app measure ANALYTICS_ROLLUP_EVERY=off
fi
raw=$(sql -c "select count(*) from analytics_event where occurred_at < date '$last_day' + 1")
sql -c "select 'analytics_event_' || to_char(d, 'YYYYMMDD') from generate_series(date '$last_day' + 1, current_date + 1, interval '1 day') as d" |
  while read -r part; do sql -q -c "truncate $part" 2>/dev/null || true; done   # earlier ingest runs' events
producer=$(scripts/mint-token.sh producer bench-producer)
sql -c "select id from episode where series_id = '$series' order by number" >"$BENCH/episodes"

echo "== ingest: batches of $BATCH events from $VIEWERS viewers"
python3 - "$ROOT/deploy/dev-keys/jwt-private.pem" "$VIEWERS" >"$BENCH/tokens" <<'PY'
import base64, json, sys, time
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding
key = serialization.load_pem_private_key(open(sys.argv[1], 'rb').read(), password=None)
b64 = lambda b: base64.urlsafe_b64encode(b).rstrip(b'=').decode()
now = int(time.time())
for v in range(int(sys.argv[2])):
    head = b64(json.dumps({"alg": "RS256", "typ": "JWT"}).encode())
    sub = "bench-ingest-%d" % v
    body = b64(json.dumps({"iss": "https://microdrama.local", "sub": sub, "upn": sub, "groups": ["viewer"],
                           "iat": now, "exp": now + 3600, "jti": "bench-%d-%d" % (now, v)}).encode())
    sig = key.sign(("%s.%s" % (head, body)).encode(), padding.PKCS1v15(), hashes.SHA256())
    print("%s.%s.%s" % (head, body, b64(sig)))
PY
RUN_ID=$(date +%s)
export TOKENS_FILE=$BENCH/tokens EPISODES_FILE=$BENCH/episodes BATCH RUN_ID
events_url="http://127.0.0.1:$PORT/api/v1/events"
mapfile -t peak_runs < <(player_runs ingest "$events_url")
[ "${#peak_runs[@]}" = "$RUNS" ] || die "an ingest peak run failed"
read -r peak_rps peak_spread <<<"$(median $(for r in "${peak_runs[@]}"; do field "$r" rps; done)) $(spread $(for r in "${peak_runs[@]}"; do field "$r" rps; done))"
events_per_second=$(echo "$peak_rps * $BATCH / 1" | bc)
half_rate=$(echo "$peak_rps / 2" | bc)
[ "$half_rate" -ge 1 ] || half_rate=1
mapfile -t half_runs < <(player_runs ingest "$events_url" "$half_rate")
[ "${#half_runs[@]}" = "$RUNS" ] || die "an ingest half-load run failed"
ingest_p99s=$(for r in "${half_runs[@]}"; do field "$r" p99; done)
ingest_p99=$(median $ingest_p99s); ingest_p99_spread=$(spread $ingest_p99s)
ingest_p50=$(median $(for r in "${half_runs[@]}"; do field "$r" p50; done))
ingested=$(sql -c "select count(*) from analytics_event where viewer_id like 'bench-ingest-%'")
# Every acknowledged event must be stored (ids are fresh, so none is a duplicate); a few more may be, from requests
# in flight when a closed-loop run stopped listening.
mapfile -t warm_runs <"$BENCH/warm-ups.ingest"
acknowledged=$(python3 -c 'import json,sys; print(sum(json.loads(l)["ok"] for l in sys.argv[2:]) * int(sys.argv[1]))' \
  "$BATCH" "${peak_runs[@]}" "${half_runs[@]}" "${warm_runs[@]}")
[ "$ingested" -ge "$acknowledged" ] || die "$acknowledged events acknowledged but $ingested stored"
echo "   peak $peak_rps req/s (± $peak_spread %), p99 $ingest_p99 ms at $half_rate req/s; $acknowledged acknowledged, $ingested stored"

echo "== the analytics answer, 30 days to $last_day"
from=$(date -u -d "$last_day -29 days" +%F)
url="http://127.0.0.1:$PORT/api/v1/producer/series/$series/analytics?from=$from&to=$last_day"
curl -sf -H "Authorization: Bearer $producer" "$url" >"$BENCH/answer.json" || die "no analytics answer from $url"
read -r episodes_answered answered_views missing_uniques <<<"$(python3 -c '
import json,sys; a=json.load(open(sys.argv[1]))
print(len(a["episodes"]), sum(e["views"] for e in a["episodes"]), sum(e["uniqueViewers"] is None for e in a["episodes"]))' "$BENCH/answer.json")"
raw_views=$(sql -c "select count(*) from analytics_event where kind = 'playback_start' and occurred_at >= date '$from' and occurred_at < date '$last_day' + 1 and viewer_id like 'bench-viewer-%'")
[ "$episodes_answered" = 100 ] && [ "$answered_views" = "$raw_views" ] && [ "$missing_uniques" = 0 ] ||
  die "the answer does not read the folded events: $episodes_answered episodes, $answered_views views (raw $raw_views), $missing_uniques without uniques"
read -r answer_rps answer_p99_peak answer_rps_spread <<<"$(peak "$url" -H "Authorization: Bearer $producer")"
read -r answer_rate answer_achieved answer_p99 answer_p99_spread <<<"$(half_load "$answer_rps" "$url" -H "Authorization: Bearer $producer")"

busy=$(machine_note)
report=$(cat <<EOF2
## Viewer analytics ($(date -u +%F), $(nproc) cores; app on CPU 0, load generator on CPU 1, PostgreSQL and Redis on the same box)

Machine at the end: $busy. Each figure: the median of $RUNS runs of ${RUN_SECONDS} s, each after a ${WARMUP_SECONDS} s
warm-up (± the spread, max − min over the mean). Ingest: the peak is closed loop (autocannon, $CONNECTIONS
connections, player batches from analytics-load/load.mjs); its latency is measured open loop at a constant half of
the median peak (each request due at a fixed time, sent over up to $CONNECTIONS keep-alive connections, its latency
counted from when it was due). The answer: wrk peak, and RateLoad.java at a constant half of it (each request timed
from when it was due). The rollup is off during the runs.

| measure | value |
| --- | --- |
| ingest peak, batches of $BATCH events from $VIEWERS viewers, $CONNECTIONS connections | $peak_rps req/s (± $peak_spread %) |
| **events acknowledged per second** (202 = committed) | **$events_per_second** ($(verdict "$events_per_second" ">=" 20000)) |
| **p99 of the acknowledgement** at $half_rate req/s ($(echo "$half_rate * $BATCH" | bc) events/s) | **$ingest_p99 ms** (± $ingest_p99_spread %; p50 $ingest_p50 ms) ($(verdict "$ingest_p99" "<=" 50)) |
| events acknowledged (warm-ups included) / stored (none lost) | $acknowledged / $ingested |
| raw events of the 30 days the answer covers (set-up: generated in $generate_seconds s, folded by the app's rollup in $fold_seconds s) | $raw |
| analytics answer, 100 episodes over 30 days, peak | $answer_rps req/s (± $answer_rps_spread %), p99 $answer_p99_peak ms |
| **p99 of the analytics answer** at $answer_rate req/s asked ($answer_achieved achieved) | **$answer_p99 ms** (± $answer_p99_spread %) ($(verdict "$answer_p99" "<=" 50)) |

Reproduce: \`flock /work/notes/bench.lock scripts/bench/analytics.sh $RUN_SECONDS\` (\`BATCH\`, \`VIEWERS\`, \`RAW_EVENTS\`, \`FRESH=1\`).
EOF2
)
echo "$report"
[ -n "${NO_REPORT:-}" ] || write_report analytics "$report"
