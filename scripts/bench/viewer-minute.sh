#!/usr/bin/env bash
# What one viewer-minute costs (the capacity model's inputs, docs/capacity.md):
#   1. the request mix: simulated viewers watch real encoded episodes through the real app exactly as an HLS player
#      does — playback start, master, one media playlist, its key, every segment (from storage, signed URLs) — and
#      report progress every PROGRESS_EVERY seconds of media (10 s: an **assumption** of the app's cadence; the
#      reference web player reports none). Requests and bytes are counted by kind and divided by the minutes of
#      media watched (time is compressed: nothing sleeps, the counts depend only on what is fetched). Viewers stay
#      on one rung each (round robin over the ladder), so bytes per viewer-minute come out per rung.
#   2. the cost of watch-progress writes (PUT /api/v1/me/progress/{episode}, a PostgreSQL upsert each): writes/s on
#      one core (app on CPU 0, wrk on CPU 1; many viewers × episodes in turn), against the free playback start in the
#      same run, and the PostgreSQL CPU each write costs (the app's backends' CPU time over the writes).
# Figures go to docs/benchmarks.md (between the viewer-minute markers).
#   scripts/bench/viewer-minute.sh [--quick] [VIEWERS=12] [EPISODES=3] [SECONDS=20]
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
set -- "${BENCH_ARGS[@]}"
VIEWERS=${1:-$(pick 12 2)}
EPISODES=${2:-$(pick 3 1)}
SECONDS_OF_VIDEO=${3:-$(pick 20 4)}
SIZE=$(pick 1080x1920 360x640)
PROGRESS_EVERY=${PROGRESS_EVERY:-10}

echo "== app, $EPISODES episode(s) of ${SECONDS_OF_VIDEO} s $SIZE phone-like through the pipeline"
start_app
make_source "$BENCH/source.mp4" "$SECONDS_OF_VIDEO" "$SIZE" "$(pick phone light)"
: >"$BENCH/episodes"
for e in $(seq 1 "$EPISODES"); do
  read -r series episode version <<<"$(queue_source "$BENCH/source.mp4" "bench-vm-$e-$RANDOM")"
  wait_job "$version"
  publish_episode "$series" 1
  echo "$episode" >>"$BENCH/episodes"
done
viewer_tokens bench-vm-v "$VIEWERS" "$BENCH/viewers"

echo "== $VIEWERS viewers watch the $EPISODES episode(s), one rung each"
python3 - "$PORT" "$BENCH/viewers" "$BENCH/episodes" "$PROGRESS_EVERY" "$BENCH/keys" >"$BENCH/mix" <<'PY'
import json, re, sys, urllib.request
port, viewers, episodes, every = sys.argv[1], open(sys.argv[2]).read().split(), open(sys.argv[3]).read().split(), float(sys.argv[4])
keys = open(sys.argv[5], "w")
api = "http://127.0.0.1:%s" % port
count, size, media_seconds = {}, {}, {}

def fetch(kind, rung, url, token=None, method="GET", body=None):
    req = urllib.request.Request(url if url.startswith("http") else api + url, method=method, data=body)
    if token:
        req.add_header("Authorization", "Bearer " + token)
    if body is not None:
        req.add_header("Content-Type", "application/json")
    with urllib.request.urlopen(req, timeout=30) as answer:  # raises on any non-2xx
        data = answer.read()
    key = (kind, rung)
    count[key] = count.get(key, 0) + 1
    size[key] = size.get(key, 0) + len(data)
    return data.decode("latin-1")

for i, token in enumerate(viewers):
    for episode in episodes:
        start = json.loads(fetch("start", None, "/api/v1/episodes/%s/playback" % episode, token))
        master = fetch("master", None, start["masterUrl"])
        base = start["masterUrl"].split("?")[0].rsplit("/", 1)[0] + "/"
        rungs = [l for l in master.splitlines() if l and not l.startswith("#")]
        uri = rungs[i % len(rungs)]
        rung = uri.split("/")[0]
        playlist = fetch("media playlist", rung, base + uri)
        key = re.search(r'#EXT-X-KEY:.*URI="([^"]+)"', playlist)
        if key:
            fetch("key", rung, key.group(1))
            keys.write(key.group(1) + "\n")
        watched, next_report = 0.0, every
        lines = playlist.splitlines()
        for n, line in enumerate(lines):
            if line.startswith("#EXTINF:"):
                fetch("segment", rung, lines[n + 1])
                watched += float(line[8:].split(",")[0])
                while watched >= next_report:
                    fetch("progress", None, "/api/v1/me/progress/%s" % episode, token, "PUT",
                          json.dumps({"positionSeconds": next_report}).encode())
                    next_report += every
        fetch("progress", None, "/api/v1/me/progress/%s" % episode, token, "PUT",
              json.dumps({"positionSeconds": round(watched, 3)}).encode())
        media_seconds[rung] = media_seconds.get(rung, 0) + watched

total_minutes = sum(media_seconds.values()) / 60
for (kind, rung), n in sorted(count.items(), key=lambda kv: (kv[0][0], kv[0][1] or "")):
    minutes = media_seconds[rung] / 60 if rung else total_minutes
    print("%s %s %d %d %.4f %.0f" % (kind.replace(" ", "_"), rung or "-", n, size[(kind, rung)], n / minutes, size[(kind, rung)] / minutes))
print("minutes - 0 0 %.3f 0" % total_minutes)
PY
minutes=$(awk '$1 == "minutes" {print $5}' "$BENCH/mix")
watched=$((VIEWERS * EPISODES))
per_minute() { awk -v k="$1" '$1 == k {n += $3} END {printf "%.2f", n / m}' m="$minutes" "$BENCH/mix"; }
per_episode() { awk -v k="$1" '$1 == k {n += $3} END {printf "%.2f", n / e}' e="$watched" "$BENCH/mix"; }
mix_rows=""
for kind in start master media_playlist key segment progress; do
  mix_rows+="| ${kind//_/ } | $(per_episode "$kind") | $(per_minute "$kind") |"$'\n'
done
total_requests=$(awk '$1 != "minutes" {n += $3} END {printf "%.2f", n / m}' m="$minutes" "$BENCH/mix")
api_requests=$(awk '$1 != "minutes" && $1 != "segment" {n += $3} END {printf "%.2f", n / m}' m="$minutes" "$BENCH/mix")
byte_rows=""
for rung in $(awk '$1 == "segment" {print $2}' "$BENCH/mix" | sort -t p -k1,1 -n -r); do
  seg=$(awk -v r="$rung" '$1 == "segment" && $2 == r {printf "%.0f", $6}' "$BENCH/mix")
  other=$(awk -v r="$rung" '($1 == "media_playlist" || $1 == "key") && $2 == r {b += $6} END {printf "%.0f", b}' "$BENCH/mix")
  byte_rows+="| $rung | $(echo "scale=2; $seg / 1000000" | bc) MB | $(echo "scale=2; $seg * 8 / 60 / 1000000" | bc) Mb/s | $(echo "scale=1; $other / 1000" | bc) kB |"$'\n'
done
api_bytes=$(awk '$1 == "start" || $1 == "master" || $1 == "progress" {b += $4} END {printf "%.1f", b / m / 1000}' m="$minutes" "$BENCH/mix")

echo "== progress writes on one core, against the free playback start"
pin_app
viewer_tokens bench-vm-w "$(pick 200 20)" "$BENCH/writers"
{
  echo "tokens = {"; sed 's/.*/"&",/' "$BENCH/writers"; echo "}"
  echo "episodes = {"; sed 's/.*/"&",/' "$BENCH/episodes"; echo "}"
  cat <<'LUA'
counter = 0
request = function()
  counter = counter + 1
  local body = string.format('{"positionSeconds":%d}', counter % 90)
  return wrk.format("PUT", "/api/v1/me/progress/" .. episodes[counter % #episodes + 1],
    {["Authorization"] = "Bearer " .. tokens[math.floor(counter / #episodes) % #tokens + 1],
     ["Content-Type"] = "application/json"}, body)
end
LUA
} >"$BENCH/progress.lua"
{
  echo "tokens = {"; sed 's/.*/"&",/' "$BENCH/writers"; echo "}"
  echo "episodes = {"; sed 's/.*/"&",/' "$BENCH/episodes"; echo "}"
  cat <<'LUA'
counter = 0
request = function()
  counter = counter + 1
  return wrk.format("GET", "/api/v1/episodes/" .. episodes[counter % #episodes + 1] .. "/playback",
    {["Authorization"] = "Bearer " .. tokens[math.floor(counter / #episodes) % #tokens + 1]})
end
LUA
} >"$BENCH/start.lua"
url="http://127.0.0.1:$PORT"
read -r write_rps write_p99 write_spread <<<"$(peak "$url" -s "$BENCH/progress.lua")"
read -r start_rps start_p99 start_spread <<<"$(peak "$url" -s "$BENCH/start.lua")"
{
  echo "paths = {"; sort -u "$BENCH/keys" | sed 's/.*/"&",/'; echo "}"
  cat <<'LUA'
counter = 0
request = function()
  counter = counter + 1
  return wrk.format("GET", paths[counter % #paths + 1])
end
LUA
} >"$BENCH/key.lua"
read -r key_rps key_p99 key_spread <<<"$(peak "$url" -s "$BENCH/key.lua")"
key_ratio=$(echo "scale=3; $key_rps / $start_rps" | bc)
write_ratio=$(echo "scale=3; $write_rps / $start_rps" | bc)

# PostgreSQL's CPU per write: the CPU time of the app's own backends over one more measured run of writes.
before=$(backends_cpu)
read -r one_rps _ <<<"$(load "$url" -s "$BENCH/progress.lua")"
after=$(backends_cpu)
writes=$(echo "$one_rps * $RUN_SECONDS / 1" | bc)
[ "$writes" -gt 0 ] || die "no progress writes measured"
pg_ms=$(echo "scale=3; ($after - $before) * 1000 / $TICKS / $writes" | bc)

report=$(cat <<EOF
## Viewer-minute: request mix, delivered bytes, progress writes ($(date -u +%Y-%m-%d), $(nproc) cores)

$VIEWERS simulated viewers each watched $EPISODES real episode(s) (${SECONDS_OF_VIDEO} s $SIZE phone-like sources through the
pipeline, the configured per-title ladder) end to end through the app, as an HLS player does: playback start, master,
one media playlist, its key, every segment (from storage, signed URLs), a progress write every ${PROGRESS_EVERY} s of media
and one at the end (**the ${PROGRESS_EVERY} s cadence is assumed**: the reference web player sends none; a mobile app's own
cadence replaces it). Each viewer stayed on one rung (round robin). ${minutes} viewer-minutes of media in all; time
compressed (counts, not timings). Episodes are ${SECONDS_OF_VIDEO} s here: starts, masters, playlists and keys per
viewer-minute scale with 60 ÷ the episode's length (a 2-minute episode has a quarter of these). Machine: $(machine_note).

| request | per episode watched | **per viewer-minute** (${SECONDS_OF_VIDEO} s episodes) |
| --- | --- | --- |
${mix_rows}| **all** (segments from storage / a CDN; the rest from the API) | — | **${total_requests}** (API: ${api_requests}) |

| rung | **segment bytes per viewer-minute** | as a bit rate | playlist + key bytes per viewer-minute |
| --- | --- | --- | --- |
${byte_rows}
API answers (starts, masters, progress) per viewer-minute: ${api_bytes} kB.

Watch-progress writes (\`PUT /api/v1/me/progress/{episode}\`, an upsert each), $(wc -l <"$BENCH/writers") viewers × $EPISODES
episode(s) in turn, app on CPU 0 and wrk on CPU 1, median of $RUNS runs of ${RUN_SECONDS} s each after a ${WARMUP_SECONDS} s warm-up:

| measure | value |
| --- | --- |
| **progress writes per second, one API core** | **${write_rps}** (± ${write_spread} %), p99 ${write_p99} ms |
| reference: free playback start (JWT + token), same viewers and episodes | ${start_rps} req/s (± ${start_spread} %), p99 ${start_p99} ms |
| progress writes ÷ playback starts | ${write_ratio} |
| **segment key requests per second, one API core** ($(sort -u "$BENCH/keys" | wc -l) distinct tokenised key URLs in turn) | **${key_rps}** (± ${key_spread} %), p99 ${key_p99} ms |
| key requests ÷ playback starts | ${key_ratio} |
| **PostgreSQL CPU per progress write** (the app's backends, one more run of ${writes} writes) | **${pg_ms} ms** |

Reproduce: \`scripts/bench/viewer-minute.sh ${VIEWERS} ${EPISODES} ${SECONDS_OF_VIDEO}\` (env: \`PROGRESS_EVERY\`).
EOF
)
echo "$report"
write_report viewer-minute "$report"
