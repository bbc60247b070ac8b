#!/usr/bin/env bash
# Whole-process speed: the CLI preview of a 3x3 grid of nine 1280x720
# camera-like PNG sources into a 1080p PNG, against the equivalent ffmpeg
# command (scale and crop each source to cover its 640x360 cell, xstack,
# one frame to PNG), timed by hyperfine in one run. Prints the ratio.
#
# Needs ffmpeg and hyperfine (apt-get install -y ffmpeg hyperfine).
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

cargo build -q --release --example mixlayout --example make_sources
./target/release/examples/make_sources "$work/sources" 9 1280 720
cat > "$work/job.json" <<'JOB'
{"mix_param": {"room_id": "compare", "encode_template": "1920x1080_30_4620", "layout_template": "nine_grids_view"}}
JOB

ours="./target/release/examples/mixlayout preview --job $work/job.json --users 9 --sources $work/sources --no-labels -o $work/ours.png"
inputs=""
filters=""
for i in $(seq 1 9); do
  inputs+=" -i $work/sources/u$i.png"
  filters+="[$((i - 1)):v]scale=640:360:force_original_aspect_ratio=increase,crop=640:360[v$i];"
done
layout="0_0|w0_0|w0+w1_0|0_h0|w0_h0|w0+w1_h0|0_h0+h3|w0_h0+h3|w0+w1_h0+h3"
theirs="ffmpeg -v error -y$inputs -filter_complex '${filters}[v1][v2][v3][v4][v5][v6][v7][v8][v9]xstack=inputs=9:layout=$layout' -frames:v 1 $work/ffmpeg.png"

echo "ours:   $ours"
echo "ffmpeg: $theirs"
hyperfine --warmup 2 --runs "${RUNS:-15}" --export-json "$work/times.json" -n mixlayout "$ours" -n ffmpeg "$theirs"
python3 - "$work/times.json" <<'PY'
import json, sys
r = {x["command"]: x["median"] for x in json.load(open(sys.argv[1]))["results"]}
print(f"median: mixlayout {r['mixlayout']*1000:.1f} ms, ffmpeg {r['ffmpeg']*1000:.1f} ms, "
      f"ffmpeg / mixlayout = {r['ffmpeg'] / r['mixlayout']:.1f}x")
PY
