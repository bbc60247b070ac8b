#!/usr/bin/env bash
# Makes the participants' files of the example meeting with ffmpeg's test
# sources (some seconds to make; about 6 MB): each camera a moving pattern
# with a tone of its own, Alice's shared screen colour bars, and Chen's
# camera in two files, as a reconnect leaves it.
#
#   bash examples/record/make-media.sh      # writes examples/record/media/
set -euo pipefail
cd "$(dirname "$0")"
mkdir -p media
make() { # NAME SECONDS VIDEO-SOURCE [TONE-HZ]
  local tone=()
  if [ $# -gt 3 ]; then tone=(-f lavfi -i "sine=f=$4:beep_factor=2" -c:a aac); fi
  ffmpeg -v error -y -f lavfi -i "$3:r=30" "${tone[@]}" -t "$2" \
    -c:v libx264 -preset veryfast -b:v 400k -pix_fmt yuv420p "media/$1"
}
make alice.mp4 30 "testsrc2=s=640x360" 330
make alice-screen.mp4 20 "smptehdbars=s=1280x720"
make bob.mp4 30 "mandelbrot=s=640x360" 262
make chen-1.mp4 9 "life=s=640x360:mold=10:ratio=0.1:life_color=#50d0ff:death_color=#202040" 392
make chen-2.mp4 16 "life=s=640x360:mold=10:ratio=0.1:life_color=#50d0ff:death_color=#202040" 392
make dana.mp4 25 "gradients=s=640x360:speed=0.02" 294
