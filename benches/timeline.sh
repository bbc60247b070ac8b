#!/usr/bin/env bash
# The `timeline` command on the 10,000-event meeting of 200 users that
# benches/meeting.py writes, output to /dev/null (issue 13: <= 0.5 s for the
# whole process, most of it writing JSON). Needs hyperfine and python3.
#
#   bash benches/timeline.sh
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build -q --release --example mixlayout
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
python3 benches/meeting.py "$dir"
bin=target/release/examples/mixlayout
hyperfine --warmup 2 --runs 20 \
  "$bin timeline --job $dir/job.json --events $dir/events.json --changes > /dev/null" \
  "$bin timeline --job $dir/job.json --events $dir/events.json > /dev/null"
