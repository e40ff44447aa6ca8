#!/usr/bin/env bash
# Viewer analytics benchmarks:
#   1. ingest: POST /api/v1/events with batches of 100 events (wrk, 64 viewers' tokens, fresh event ids):
#      events/s (target >= 20,000) and the p99 of the 202 (durable: committed to PostgreSQL) (target <= 50 ms).
#   2. the producer's analytics answer for a 100-episode series over 30 days with RAW_EVENTS raw events stored
#      (default 10 M, generated in the day partitions) and that series' rollups and unique-viewer sketches:
#      p99 (target <= 50 ms).
# The app is pinned to CPU 0 and wrk to CPU 1; PostgreSQL and Redis share the machine. Figures are printed and
# written to docs/benchmarks.md. The rate limit per viewer is raised for the run (the Redis count stays on the path).
#   scripts/bench/analytics.sh [--quick] [SECONDS_PER_RUN=20]        (env: RAW_EVENTS, CONNECTIONS, BENCH_REDIS_DB=9)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
set -- "${BENCH_ARGS[@]}"
RUN_SECONDS=${1:-$(pick 20 2)}
RAW_EVENTS=${RAW_EVENTS:-$(pick 10000000 10000)}

echo "== app and a 100-episode series"
REDIS=(redis-cli -h "${REDIS_HOST:-127.0.0.1}" -p "${REDIS_PORT:-6379}" -n "${BENCH_REDIS_DB:-9}")
# Only this feature's keys are removed: the Redis database may be shared.
drop_sketches() { "${REDIS[@]}" --scan --pattern 'analytics:*' | xargs -r -n 500 "${REDIS[@]}" del >/dev/null; }
drop_sketches
BENCH_CLEANUP+=(drop_sketches)
start_app ANALYTICS_VIEWER_EVENTS_PER_MINUTE=100000000 \
  REDIS_URL="redis://${REDIS_HOST:-127.0.0.1}:${REDIS_PORT:-6379}/${BENCH_REDIS_DB:-9}"
pin_app
producer=$(scripts/mint-token.sh producer bench-producer)
series=$(curl -sf -X POST "localhost:$PORT/api/v1/producer/series" -H "Authorization: Bearer $producer" \
  -H 'Content-Type: application/json' \
  -d '{"slug":"bench-analytics","title":"Bench","language":"en","freeEpisodeCount":10,"coinPrice":10}' | json_field id)
curl -sf -X POST "localhost:$PORT/api/v1/producer/series/$series/publish" -H "Authorization: Bearer $producer" >/dev/null
for n in $(seq 1 100); do
  curl -sf -X POST "localhost:$PORT/api/v1/producer/series/$series/episodes" -H "Authorization: Bearer $producer" \
    -H 'Content-Type: application/json' -d "{\"number\":$n,\"title\":\"Episode $n\"}" >/dev/null
done
# Stands in for transcoding: a ready 90 s version per episode, as the worker would leave it.
"${PSQL[@]}" -d "$DB" -q <<SQL
insert into episode_version (id, episode_id, version_number, source_key, source_size, state, hls_prefix, encryption_key, duration_ms, ready_at)
select gen_random_uuid(), id, 1, 'raw/bench', 1, 'ready', 'hls/bench/', decode('00112233445566778899aabbccddeeff', 'hex'), 90000, now()
from episode where series_id = '$series';
update episode e set current_version_id = v.id, state = 'ready', duration_ms = 90000, published = true, published_at = now()
from episode_version v where v.episode_id = e.id and e.series_id = '$series';
SQL
"${PSQL[@]}" -d "$DB" -tAc "select id from episode where series_id = '$series' order by number" >"$BENCH/episodes"
viewer_tokens bench-viewer- 64 "$BENCH/tokens"

echo "== ingest: batches of 100 events"
first_episode=$(head -n1 "$BENCH/episodes")
smoke=$(curl -s -w ' %{http_code}' -X POST "localhost:$PORT/api/v1/events" -H "Authorization: Bearer $(head -n1 "$BENCH/tokens")" \
  -H 'Content-Type: application/json' \
  -d "{\"events\":[{\"id\":\"smoke-1\",\"type\":\"progress\",\"episodeId\":\"$first_episode\",\"occurredAt\":\"$(date -u +%FT%TZ)\",\"positionSeconds\":1}]}")
[ "${smoke##* }" = 202 ] || die "a first batch was not accepted: $smoke"
export TOKENS_FILE=$BENCH/tokens EPISODES_FILE=$BENCH/episodes BATCH=100
read -r ingest_rps ingest_p99 ingest_spread <<<"$(peak "http://127.0.0.1:$PORT/api/v1/events" -s "$BENCH_DIR/analytics-ingest.lua")"
events_per_second=$(echo "$ingest_rps * 100" | bc)
stored=$("${PSQL[@]}" -d "$DB" -tAc "select count(*) from analytics_event")

echo "== $RAW_EVENTS raw events over 30 days, rollups of 100 episodes x 30 days, sketches"
# Raw events as the players and the server would have left them, already folded (received before the watermark).
"${PSQL[@]}" -d "$DB" -q <<SQL
select analytics_event_partition(d::date) from generate_series(current_date - 31, current_date, interval '1 day') as d;
insert into analytics_event (occurred_at, viewer_id, event_id, kind, source, episode_id, position_ms, received_at)
select t, 'viewer-' || (i % 200000), 'g' || i, (array['playback_start','progress','progress','complete','leave'])[1 + i % 5],
       case when i % 5 = 0 then 'server' else 'client' end, e.id, (i % 90) * 1000, t
from generate_series(1, $RAW_EVENTS) as i
cross join lateral (select now() - interval '30 days' + (i::float8 / $RAW_EVENTS) * interval '30 days' as t) as tt
join (select id, row_number() over (order by number) - 1 as k from episode where series_id = '$series') e on e.k = i % 100;
update analytics_watermark set received_until = now();
insert into analytics_rollup (series_id, grain, bucket, episode_id, number, views, unique_viewers, starters, completions,
  share_permille_sum, dropoff, continued, reached_from_first, paywall_shown, paywall_converted, paid_from_first, unlocks, coins, ad_unlocks)
select '$series', g.grain, b, e.id, e.number, 100, 80, 80, 40, 50000, '{4,4,4,4,4,4,4,4,4,4}', 60, 70, 10, 3, 2, 5, 50, 1
from episode e
cross join (values ('day', interval '1 day'), ('hour', interval '1 hour')) as g(grain, step)
cross join lateral generate_series(date_trunc('day', now()) - interval '30 days', now(), g.step) as b
where e.series_id = '$series';
analyze analytics_event; analyze analytics_rollup;
SQL
raw=$("${PSQL[@]}" -d "$DB" -tAc "select count(*) from analytics_event")
python3 - "$series" "$BENCH/episodes" >"$BENCH/sketches.redis" <<'PY'
import sys, datetime
series, episodes = sys.argv[1], open(sys.argv[2]).read().split()
today = datetime.datetime.now(datetime.timezone.utc).replace(hour=0, minute=0, second=0, microsecond=0)
for d in range(31):
    day = int((today - datetime.timedelta(days=d)).timestamp())
    for e in episodes:
        print("PFADD analytics:uv:e:%s:day:%d %s" % (e, day, " ".join("v%d" % (v + d * 37) for v in range(200))))
    print("PFADD analytics:uv:s:%s:day:%d %s" % (series, day, " ".join("v%d" % (v + d * 37) for v in range(2000))))
PY
"${REDIS[@]}" --pipe <"$BENCH/sketches.redis" >/dev/null

echo "== the analytics answer, 30 days"
from=$(date -u -d '29 days ago' +%F); to=$(date -u +%F)
url="http://127.0.0.1:$PORT/api/v1/producer/series/$series/analytics?from=$from&to=$to"
episodes_answered=$(curl -sf -H "Authorization: Bearer $producer" "$url" | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["episodes"]))')
read -r query_rps query_p99 query_spread <<<"$(peak "$url" -H "Authorization: Bearer $producer")"

busy=$(machine_note)
report=$(cat <<EOF
## Viewer analytics ($(date -u +%F), $(nproc) cores; app on CPU 0, wrk on CPU 1, PostgreSQL and Redis on the same box)

Machine after the runs: $busy. Each figure: the median of $RUNS wrk runs of ${RUN_SECONDS} s, each after a
${WARMUP_SECONDS} s warm-up (± the spread of the rate, max − min over the mean).

| measure | value |
| --- | --- |
| ingest, batches of 100 events ($CONNECTIONS connections, ${RUN_SECONDS} s) | $ingest_rps req/s (± $ingest_spread %) |
| **events acknowledged per second** (202 = committed) | **$events_per_second** ($(verdict "$events_per_second" ">=" 20000)) |
| **p99 of the acknowledgement** | **$ingest_p99 ms** ($(verdict "$ingest_p99" "<=" 50)) |
| raw events stored after the ingest run | $stored |
| raw events stored for the query run | $raw |
| analytics answer, 100 episodes ($episodes_answered answered) over 30 days | $query_rps req/s (± $query_spread %) |
| **p99 of the analytics answer** | **$query_p99 ms** ($(verdict "$query_p99" "<=" 50)) |

Reproduce: \`scripts/bench/analytics.sh 20\` (\`RAW_EVENTS\`, \`CONNECTIONS\`).
EOF
)
echo "$report"
write_report analytics "$report"
