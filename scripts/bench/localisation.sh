#!/usr/bin/env bash
# Localisation benchmarks (issue 12), one run on one generated 1080x1920 phone-like episode:
#   1. CPU-seconds (user+sys) of adding a dub ÷ CPU-seconds of the episode's video ladder  (target <= 0.05)
#      Both are the app's own ffmpeg commands (taken from its log) re-run on local copies under /usr/bin/time,
#      as scripts/bench/ladder.sh does for the ladder.
#   2. a subtitle upload to a playable master: wall time from the PUT to having fetched, as a player would, the
#      playback answer, the master listing the new language, its subtitle playlist and first segment (target <= 2 s)
# Figures are printed and written to docs/benchmarks.md (between the localisation markers).
#   scripts/bench/localisation.sh [SECONDS=20] [RUNS=10]
set -euo pipefail
SECONDS_OF_VIDEO=${1:-20}
RUNS=${2:-10}
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

cpu() { # label command... -> CPU seconds (user + system)
  local label=$1; shift
  /usr/bin/time -f "%e %U %S" -o "$BENCH/$label.time" "$@" >/dev/null 2>"$BENCH/$label.log" \
    || { tail -n 20 "$BENCH/$label.log" >&2; exit 1; }
  read -r _ user sys <"$BENCH/$label.time"
  echo "$user + $sys" | bc
}

# Re-runs the app's logged ffmpeg command (Jaffree's quoting, split as a shell would) on a local copy of its job dir.
rerun() { # label grep-pattern source-file
  local label=$1 cmd jobdir
  cmd=$(grep -o "/[^ ]*ffmpeg -loglevel .*$2.*index.m3u8" "$BENCH/app.log" | tail -n 1)
  [ -n "$cmd" ] || { echo "the $label ffmpeg command is not in the app log" >&2; exit 1; }
  jobdir=$(echo "$cmd" | sed 's:.*-i file\:\([^ ]*\)/source .*:\1:')
  rm -rf "$BENCH/$label"; mkdir -p "$BENCH/$label/hls" "$BENCH/$label/out"
  cp "$3" "$BENCH/$label/source"
  head -c 16 /dev/urandom >"$BENCH/$label/segment.key"
  printf 'key\n%s\n%s\n' "$BENCH/$label/segment.key" "$(head -c 16 /dev/urandom | xxd -p)" >"$BENCH/$label/key.info"
  mapfile -d '' args < <(python3 -c 'import shlex, sys; sys.stdout.write("\0".join(shlex.split(sys.argv[1])))' \
    "${cmd//$jobdir/$BENCH/$label}")
  # The dub writes into <jobdir>/a-<track>/: the same relative directory under the copy.
  for a in "${args[@]}"; do case "$a" in "$BENCH/$label"/*/seg_*) mkdir -p "$(dirname "$a")" ;; esac; done
  cpu "$label" "${args[@]}"
}

echo "== generating a ${SECONDS_OF_VIDEO} s 1080x1920 phone-like source and its dub"
ffmpeg -v error -y -f lavfi -i "testsrc2=size=1080x1920:rate=30:duration=$SECONDS_OF_VIDEO,noise=alls=12:allf=t" \
  -f lavfi -i "sine=frequency=440:duration=$SECONDS_OF_VIDEO" -c:v libx264 -preset veryfast -b:v 16M -maxrate 16M \
  -bufsize 32M -pix_fmt yuv420p -c:a aac -shortest "$BENCH/source.mp4"
ffmpeg -v error -y -f lavfi -i "sine=frequency=880:duration=$SECONDS_OF_VIDEO" -c:a aac -b:a 128k "$BENCH/dub.m4a"

echo "== starting the app (worker included) on :$PORT"
start_app
producer=$(scripts/mint-token.sh producer bench-producer)
viewer=$(scripts/mint-token.sh viewer bench-viewer)
read -r series episode version <<<"$(queue_source "$BENCH/source.mp4" "bench-l10n-$RANDOM")"
wait_job "$version"
curl -sf -X POST -H "Authorization: Bearer $producer" "localhost:$PORT/api/v1/producer/series/$series/publish" >/dev/null
curl -sf -X POST -H "Authorization: Bearer $producer" "localhost:$PORT/api/v1/producer/series/$series/episodes/1/publish" >/dev/null

echo "== a dub through the app (an audio-only job in the queue)"
curl -sf -X PUT -T "$BENCH/dub.m4a" -H "Authorization: Bearer $producer" -H 'Content-Type: audio/mp4' \
  "localhost:$PORT/api/v1/producer/series/$series/episodes/1/audio/es" >/dev/null
for _ in $(seq 1 600); do
  state=$("${PSQL[@]}" -d $DB -tAc "select state from transcode_job where version_id = '$version' and kind = 'dub'")
  case "$state" in succeeded|failed|cancelled) break ;; esac
  sleep 0.5
done
[ "$state" = succeeded ] || { tail -n 30 "$BENCH/app.log" >&2; echo "dub job $state" >&2; exit 1; }

echo "== CPU of the bare commands: the ladder, then the dub"
ladder_cpu=$(rerun ladder "-filter_complex" "$BENCH/source.mp4")
dub_cpu=$(rerun dub "-map 0:a:0" "$BENCH/dub.m4a")
ratio=$(echo "scale=4; $dub_cpu / $ladder_cpu" | bc)

echo "== subtitle upload -> playable master, $RUNS runs"
python3 - "$SECONDS_OF_VIDEO" >"$BENCH/subs.vtt" <<'PY'
import sys
n = int(float(sys.argv[1]))
print("WEBVTT\n")
for s in range(n - 1):
    print("00:00:%02d.100 --> 00:00:%02d.900\nLine %d of the episode\n" % (s, s, s) if s < 60 else "")
PY
times=()
for run in $(seq 1 "$RUNS"); do
  lang=$(printf 'fr\nde\nit\nja\nko\nth\nvi\nid\ntr\npl\n' | sed -n "$(( (run - 1) % 10 + 1 ))p")
  t0=$(date +%s.%N)
  curl -sf -X PUT --data-binary @"$BENCH/subs.vtt" -H "Authorization: Bearer $producer" -H 'Content-Type: text/vtt' \
    "localhost:$PORT/api/v1/producer/series/$series/episodes/1/subtitles/$lang" >/dev/null
  master_url=$(curl -sf -H "Authorization: Bearer $viewer" "localhost:$PORT/api/v1/episodes/$episode/playback?subtitles=$lang" \
    | sed -n 's/.*"masterUrl":"\([^"]*\)".*/\1/p')
  master=$(curl -sf "localhost:$PORT$master_url")
  uri=$(echo "$master" | grep "LANGUAGE=\"$lang\"" | sed -n 's/.*URI="\([^"]*\)".*/\1/p')
  [ -n "$uri" ] || { echo "the master does not list $lang" >&2; exit 1; }
  playlist=$(curl -sf "localhost:$PORT/api/v1/playback/$version/$uri")
  curl -sf "$(echo "$playlist" | grep -m1 '^http')" | grep -q 'Line 0' || { echo "first segment without its cue" >&2; exit 1; }
  t1=$(date +%s.%N)
  times+=("$(echo "$t1 - $t0" | bc)")
done
sorted=$(printf '%s\n' "${times[@]}" | sort -n)
median=$(printf '%.3f' "$(echo "$sorted" | sed -n "$(( (RUNS + 1) / 2 ))p")")
worst=$(printf '%.3f' "$(echo "$sorted" | tail -n 1)")
load=$(cut -d' ' -f1-3 /proc/loadavg)

report=$(cat <<EOF
## Localisation: dub cost and subtitle latency ($(date -u +%Y-%m-%d), $(nproc) cores, ffmpeg $(ffmpeg -version | head -1 | cut -d' ' -f3))

Source: ${SECONDS_OF_VIDEO} s 1080×1920 30 fps phone-like + AAC (the ladder's 4 rungs, x264 veryfast); dub: AAC file of
the same length. **The machine was busy** (other builds and tests running; load average at the end: ${load}), so
absolute times are pessimistic; the CPU-seconds ratio is what the machine's load affects least.

| measure | value |
| --- | --- |
| CPU (user+sys) of the episode's ladder (the app's command, bare) | ${ladder_cpu} s |
| CPU (user+sys) of its dub (the app's command, bare) | ${dub_cpu} s |
| **dub ÷ ladder, CPU-seconds** | **${ratio}** ($(verdict "$ratio" "<=" 0.05)) |
| subtitle upload → playable master, median of ${RUNS} (PUT, playback, master, subtitle playlist, first segment) | ${median} s |
| **… worst of ${RUNS}** | **${worst} s** ($(verdict "$worst" "<=" 2)) |

Reproduce: \`scripts/bench/localisation.sh ${SECONDS_OF_VIDEO} ${RUNS}\`.
EOF
)
echo "$report"
write_report "localisation" "$report"
