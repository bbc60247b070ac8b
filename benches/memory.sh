#!/usr/bin/env bash
# Peak resident memory of the CLI on the largest inputs SPEC §8 allows
# (issue 12): 25 sources of 8192 x 8192 pixels, 25 placeholder images of that
# size, an 8192 x 8192 canvas with a background image of that size, and an
# event list of 64 MiB whose one event has an unknown field holding a list of
# numbers. Each peak is the child's maximum resident set (getrusage), with the
# time it took. Needs ffmpeg (to make the pictures) and python3.
#
#   bash benches/memory.sh
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build -q --release --example mixlayout
bin=$PWD/target/release/examples/mixlayout
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
mkdir "$dir/src" "$dir/img"
ffmpeg -v error -f lavfi -i testsrc2=s=8192x8192 -frames:v 1 "$dir/big.png"
for i in $(seq 1 25); do
  ln "$dir/big.png" "$dir/src/u$i.png"
  ln "$dir/big.png" "$dir/img/away$i.png"
done
ln "$dir/big.png" "$dir/bg.png"

images=$(for i in $(seq 1 25); do printf '{"user_id": "u%d", "image_uri": "img/away%d.png"},' "$i" "$i"; done)
cat > "$dir/grid.json" <<EOF
{"room_id": "m", "encode_template": "1920x1080_30_4620", "layout_template": "nine_grids_view"}
EOF
cat > "$dir/away.json" <<EOF
{"room_id": "m", "encode_template": "1920x1080_30_4620", "layout_template": "nine_grids_view",
 "user_background_images": [${images%,}]}
EOF
cat > "$dir/huge.json" <<EOF
{"room_id": "m", "encode_template": "8192x8192_30_4620", "layout_template": "nine_grids_view",
 "background_image": "bg.png"}
EOF
python3 - "$dir/away.events.json" <<'EOF'
import json, sys
json.dump([{"type": "video_off", "user_id": f"u{i}"} for i in range(1, 26)], open(sys.argv[1], "w"))
EOF
python3 - "$dir/huge.events.json" <<'EOF'
import sys
# One event whose unknown field holds a 64 MiB list of numbers.
limit = 64 * 1024 * 1024
head = b'[{"type": "join", "user_id": "u1", "extra": ['
tail = b'1]}]'
body = b'1,' * ((limit - len(head) - len(tail)) // 2)
open(sys.argv[1], "wb").write(head + body + tail)
EOF

peak() {
  python3 - "$@" <<'EOF'
import os, subprocess, sys, time
start = time.time()
child = subprocess.Popen(sys.argv[2:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
said = child.stderr.read()
_, status, usage = os.wait4(child.pid, 0)
took = time.time() - start
line = (said.strip().splitlines() or [""])[-1][:100]
code = os.waitstatus_to_exitcode(status)
print(f"{sys.argv[1]:<44} peak {usage.ru_maxrss / 1024:7.1f} MiB  {took:6.2f} s  exit {code}  {line}")
EOF
}

cd "$dir"
peak "preview, 25 sources of 8192x8192" "$bin" preview --job grid.json --users 25 --sources src -o out.png
peak "preview, 25 placeholders of 8192x8192" "$bin" preview --job away.json --users 25 --events away.events.json -o out.png
peak "preview, 8192x8192 canvas, 25 sources, bg" "$bin" preview --job huge.json --users 25 --sources src -o out.png
peak "layout, events of 64 MiB, unknown field" "$bin" layout --job grid.json --events huge.events.json
peak "ffmpeg --run, 25 sources of 8192x8192" "$bin" ffmpeg --job grid.json --users 25 --sources src --run -o out.png
