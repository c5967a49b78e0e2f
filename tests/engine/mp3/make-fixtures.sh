#!/usr/bin/env bash
# Generates the MP3 reader's fixtures into $1: MP3 files encoded by ffmpeg's libmp3lame, each with
# <name>.f32, ffmpeg's own decode of it (interleaved 32-bit float), as the reference to compare with.
set -euo pipefail
out=$1
mkdir -p "$out"
cd "$out"

ff() { ffmpeg -hide_banner -loglevel error -nostdin -y "$@"; }

# A chord with a little deterministic noise: enough spectral content to exercise the decoder.
# signal <seconds> <rate> <channels>
signal() {
  local left='0.35*sin(2*PI*440*t)+0.2*sin(2*PI*2637*t)+0.05*(2*random(0)-1)'
  local right='0.35*sin(2*PI*554.37*t+1)+0.15*sin(2*PI*6000*t)+0.05*(2*random(1)-1)'
  local exprs=$left
  [[ $3 == 2 ]] && exprs="$left|$right"
  echo "aevalsrc=exprs=$exprs:s=$2:d=$1"
}

# encode <name> <seconds> <rate> <channels> <ffmpeg output options...>
encode() {
  local name=$1 seconds=$2 rate=$3 channels=$4
  shift 4
  ff -f lavfi -i "$(signal "$seconds" "$rate" "$channels")" -c:a libmp3lame "$@" "$name.mp3"
}

# Files as encoders write them: a LAME/Info tag (CBR) or Xing tag (VBR), so decoding is gapless.
encode cbr_stereo_44k 2 44100 2 -b:a 128k
encode vbr_mono_48k 2 48000 1 -q:a 4
encode vbr_stereo_22k 2 22050 2 -q:a 5

# ID3v2.3 at the front (with a cover picture, so the tag is tens of kilobytes) and ID3v1 at the end.
ff -f lavfi -i "nullsrc=s=200x200,geq=lum=random(1)*255:cb=128:cr=128" -frames:v 1 cover.png
ff -f lavfi -i "$(signal 2 44100 2)" -i cover.png -map 0:a -map 1:v -c:a libmp3lame -b:a 160k -c:v copy \
  -disposition:v attached_pic -id3v2_version 3 -write_id3v1 1 \
  -metadata title="Fixture title" -metadata artist="Fixture artist" -metadata album="Fixture album" \
  tagged_stereo_44k.mp3

# A radio stream: no tags, no Xing header. Joined by a listener at an arbitrary byte, mid-frame.
encode stream_44k 3 44100 2 -b:a 128k -write_xing 0 -id3v2_version 0
tail -c +10008 stream_44k.mp3 > joined_mid_frame.mp3

# Two streams back to back, the second at another rate and channel count (a radio switching feeds).
encode part_44k_stereo 1 44100 2 -b:a 128k -write_xing 0 -id3v2_version 0
encode part_32k_mono 1 32000 1 -b:a 64k -write_xing 0 -id3v2_version 0
cat part_44k_stereo.mp3 part_32k_mono.mp3 > rate_change.mp3

# The references, all in one ffmpeg run (ffmpeg starts slowly): input n decoded as <name>.f32.
inputs=()
outputs=()
n=0
for name in cbr_stereo_44k vbr_mono_48k vbr_stereo_22k tagged_stereo_44k stream_44k part_44k_stereo part_32k_mono; do
  inputs+=(-i "$name.mp3")
  outputs+=(-map "$n:a" -f f32le "$name.f32")
  n=$((n + 1))
done
ff "${inputs[@]}" "${outputs[@]}"
