#!/usr/bin/env bash
# Opus fixtures for the decoding tests, and ffmpeg's own decode of each (48 kHz float) to compare
# with: stereo Ogg, mono WebM, and 5.1 Ogg (channel mapping family 1).
set -euo pipefail
out=$1
mkdir -p "$out" && cd "$out"
[ -f done ] && exit 0
sox -R -n -r 48000 -c 2 stereo.wav synth 3 sine 440 sine 660 vol 0.5
sox -R -n -r 48000 -c 1 mono.wav synth 3 sine 523 vol 0.5
sox -R -n -r 48000 -c 6 surround.wav synth 3 sine 200 sine 300 sine 400 sine 50 sine 500 sine 600 vol 0.4
ffmpeg -nostdin -loglevel error -y -i stereo.wav -c:a libopus -b:a 128k stereo.opus
ffmpeg -nostdin -loglevel error -y -i mono.wav -c:a libopus -b:a 64k -f webm mono.webm
ffmpeg -nostdin -loglevel error -y -i surround.wav -c:a libopus -b:a 256k -mapping_family 1 surround.opus
for f in stereo.opus mono.webm surround.opus; do
  ffmpeg -nostdin -loglevel error -y -i "$f" -f f32le -ar 48000 "$f.f32"
done
touch done
