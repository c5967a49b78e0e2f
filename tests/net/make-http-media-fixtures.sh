#!/usr/bin/env bash
# Generates the HTTP media tests' fixtures into $1 with ffmpeg: a 3 s MP3 (libmp3lame, as a radio
# stream sends it: no Xing header, no tags) and a 3 s Ogg Opus file (libopus).
set -euo pipefail
out=$1
mkdir -p "$out"
cd "$out"
ff() { ffmpeg -hide_banner -loglevel error -nostdin -y "$@"; }
tone='aevalsrc=exprs=0.3*sin(2*PI*440*t)+0.05*(2*random(0)-1)|0.3*sin(2*PI*660*t):s=48000:d=3'
ff -f lavfi -i "$tone" -c:a libmp3lame -b:a 128k -write_xing 0 -id3v2_version 0 stream.mp3
ff -f lavfi -i "$tone" -c:a libopus -b:a 96k stream.opus
