#!/usr/bin/env bash
# Transcode benchmarks, measured side by side in one run on one generated 1080x1920 clip:
#   1. single-pass ladder (the app's ffmpeg command) ÷ one ffmpeg run per rung, wall time   (target <= 0.75)
#   2. the whole pipeline in the running app (download, transcode, posters, upload, publish)
#      ÷ the bare ladder command on a local file, wall time                                 (target <= 1.15)
#   3. CPU-seconds per output minute of the single-pass ladder, for the record
# Figures are printed and written to docs/benchmarks.md (between the ladder markers).
#   [SOURCE=phone|clean] scripts/bench/ladder.sh [SECONDS=30]
set -euo pipefail
SECONDS_OF_VIDEO=${1:-30}
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

# Wall seconds and CPU seconds (user + system) of a command.
timed() { # label command...
  local label=$1; shift
  /usr/bin/time -f "%e %U %S" -o "$BENCH/$label.time" "$@" >/dev/null 2>"$BENCH/$label.log" \
    || { tail -n 20 "$BENCH/$label.log" >&2; exit 1; }
  read -r wall user sys <"$BENCH/$label.time"
  echo "$wall $(echo "$user + $sys" | bc)"
}

# Phone-like by default: a producer's upload is a high-bitrate H.264 with sensor noise, which costs far more to
# decode than a clean synthetic pattern. SOURCE=clean measures the clean pattern instead.
echo "== generating a ${SECONDS_OF_VIDEO} s 1080x1920 ${SOURCE:-phone}-like source"
if [ "${SOURCE:-phone}" = clean ]; then
  pattern="testsrc2=size=1080x1920:rate=30:duration=$SECONDS_OF_VIDEO"; rate=(-crf 20)
else
  pattern="testsrc2=size=1080x1920:rate=30:duration=$SECONDS_OF_VIDEO,noise=alls=12:allf=t"; rate=(-b:v 16M -maxrate 16M -bufsize 32M)
fi
ffmpeg -v error -y -f lavfi -i "$pattern" -f lavfi -i "sine=frequency=440:duration=$SECONDS_OF_VIDEO" \
  -c:v libx264 -preset veryfast "${rate[@]}" -pix_fmt yuv420p -c:a aac -shortest "$BENCH/source.mp4"

echo "== starting the app (worker included) on :$PORT"
start_app

echo "== queueing the source through the real pipeline"
read -r _ _ version <<<"$(queue_source "$BENCH/source.mp4")"
wait_job "$version"
pipeline=$("${PSQL[@]}" -d $DB -tAc "select extract(epoch from a.finished_at - a.started_at) from transcode_attempt
  a join transcode_job j on j.id = a.job_id where j.version_id = '$version' and a.outcome = 'succeeded'")

echo "== the bare single-pass ladder: the app's own ffmpeg command on a local file"
cmd=$(grep -m1 -o '/[^ ]*ffmpeg -loglevel .*-filter_complex .*index.m3u8' "$BENCH/app.log")
[ -n "$cmd" ] || { echo "ffmpeg command not found in the app log" >&2; exit 1; }
jobdir=$(echo "$cmd" | sed 's:.*-i file\:\([^ ]*\)/source .*:\1:')
mkdir -p "$BENCH/bare/hls"
cp "$BENCH/source.mp4" "$BENCH/bare/source"
head -c 16 /dev/urandom >"$BENCH/bare/segment.key"
printf 'key\n%s\n%s\n' "$BENCH/bare/segment.key" "$(head -c 16 /dev/urandom | xxd -p)" >"$BENCH/bare/key.info"
# Jaffree logs the command with its own quoting (the stream map has spaces): split it the way a shell would.
mapfile -d '' args < <(python3 -c 'import shlex, sys; sys.stdout.write("\0".join(shlex.split(sys.argv[1])))' \
  "${cmd//$jobdir/$BENCH/bare}")
read -r single_wall single_cpu <<<"$(timed single "${args[@]}")"
rungs=$(grep -o 'split=[0-9]*' <<<"$cmd" | cut -d= -f2)

echo "== one ffmpeg run per rung (same encoder settings)"
per_rung_wall=0
ladder=("1080 1920 4500000" "720 1280 2500000" "540 960 1500000" "360 640 700000")
for i in $(seq 0 $((rungs - 1))); do
  read -r w h b <<<"${ladder[$i]}"
  mkdir -p "$BENCH/rung$i"
  read -r wall _ <<<"$(timed "rung$i" ffmpeg -y -i "$BENCH/source.mp4" \
    -vf "fps=30,scale=$w:$h:force_original_aspect_ratio=decrease,pad=$w:$h:(ow-iw)/2:(oh-ih)/2,setsar=1" \
    -c:v libx264 -b:v "$b" -maxrate "$((b + b / 10))" -bufsize "$((b * 2))" -preset veryfast -profile:v high \
    -pix_fmt yuv420p -g 60 -keyint_min 60 -sc_threshold 0 -force_key_frames 'expr:gte(t,n_forced*2)' \
    -c:a aac -b:a 128000 -ac 2 -ar 48000 -f hls -hls_time 2 -hls_playlist_type vod \
    -hls_key_info_file "$BENCH/bare/key.info" -hls_segment_filename "$BENCH/rung$i/seg_%04d.ts" "$BENCH/rung$i/index.m3u8")"
  per_rung_wall=$(echo "$per_rung_wall + $wall" | bc)
done

ratio1=$(echo "scale=3; $single_wall / $per_rung_wall" | bc)
ratio2=$(echo "scale=3; $pipeline / $single_wall" | bc)
cpu_per_min=$(echo "scale=1; $single_cpu / ($SECONDS_OF_VIDEO / 60)" | bc)

report=$(cat <<EOF
## Transcode ladder, ${SOURCE:-phone}-like source ($(date -u +%Y-%m-%d), $(nproc) cores, ffmpeg $(ffmpeg -version | head -1 | cut -d' ' -f3))

Source: ${SECONDS_OF_VIDEO} s 1080×1920 30 fps + AAC, generated (${SOURCE:-phone}-like: $(echo "scale=1; $(stat -c %s "$BENCH/source.mp4") * 8 / $SECONDS_OF_VIDEO / 1000000" | bc) Mb/s); ladder of $rungs rungs, x264 veryfast, 2 s segments, AES-128.

| measure | value |
| --- | --- |
| single-pass ladder, wall | ${single_wall} s |
| one ffmpeg per rung, wall (sum of $rungs runs) | ${per_rung_wall} s |
| **ratio 1: single-pass ÷ per-rung** | **${ratio1}** ($(verdict "$ratio1" "<=" 0.75)) |
| whole pipeline in the app (claim → published) | ${pipeline} s |
| **ratio 2: pipeline ÷ bare ladder** | **${ratio2}** ($(verdict "$ratio2" "<=" 1.15)) |
| CPU (user+sys) of the single-pass ladder | ${single_cpu} s |
| **CPU-seconds per output minute** | **${cpu_per_min}** |

Reproduce: \`SOURCE=${SOURCE:-phone} scripts/bench/ladder.sh ${SECONDS_OF_VIDEO}\`.
EOF
)
echo "$report"
write_report "ladder-${SOURCE:-phone}" "$report"
