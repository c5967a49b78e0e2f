#!/usr/bin/env bash
# `spence render` end to end, as CI checks it: the same source from the same start renders to the
# same digest every time; WebM and Ogg carrying the same Opus packets pass through to the same
# digest; a 60 ms Opus stream and an MP3 transcode; an unsupported container fails with exit 1 and
# names the reason.
set -euo pipefail
spence=$1
work=$2
rm -rf "$work" && mkdir -p "$work" && cd "$work"

sox -R -n -r 48000 -c 2 tone48.wav synth 6 sine 440 vol 0.5
sox -R -n -r 44100 -c 2 tone44.wav synth 6 sine 330 vol 0.5
ffmpeg -nostdin -loglevel error -i tone48.wav -c:a libopus -b:a 96k tone.opus
ffmpeg -nostdin -loglevel error -i tone.opus -c copy tone.webm
ffmpeg -nostdin -loglevel error -i tone48.wav -c:a libopus -frame_duration 60 tone60.opus
ffmpeg -nostdin -loglevel error -i tone44.wav -c:a libmp3lame -b:a 128k tone.mp3
ffmpeg -nostdin -loglevel error -i tone48.wav -c:a flac tone.flac

digest() { "$spence" render "$@" --json | sed -n 's/.*"sha256":"\([0-9a-f]*\)".*/\1/p'; }
field() { "$spence" render "$@" --json | sed -n "s/.*\"mode\":\"\([^\"]*\)\".*/\1/p"; }

for source in tone.opus tone.webm tone60.opus tone.mp3 tone48.wav; do
  first=$(digest "$source" -o a.ogg --start 1.5)
  second=$(digest "$source" -o b.ogg --start 1.5)
  [ -n "$first" ] && [ "$first" = "$second" ] || { echo "FAIL: $source renders differently: $first vs $second"; exit 1; }
  cmp -s a.ogg b.ogg || { echo "FAIL: $source gives different Ogg files"; exit 1; }
  ffprobe -v error a.ogg || { echo "FAIL: ffprobe rejects the render of $source"; exit 1; }
  echo "$source: identical renders ($first)"
done

[ "$(digest tone.opus -o a.ogg)" = "$(digest tone.webm -o b.ogg)" ] || { echo "FAIL: WebM and Ogg differ"; exit 1; }
[ "$(field tone.webm -o a.ogg)" = passthrough ] || { echo "FAIL: WebM 20 ms Opus did not pass through"; exit 1; }
[ "$(field tone.webm -o a.ogg --volume 0.5)" = transcode ] || { echo "FAIL: volume did not force transcoding"; exit 1; }
[ "$(field tone60.opus -o a.ogg)" = transcode ] || { echo "FAIL: 60 ms Opus passed through"; exit 1; }
[ "$(field tone.opus -o a.ogg --passthrough off)" = transcode ] || { echo "FAIL: --passthrough off ignored"; exit 1; }
[ "$(digest tone.opus -o a.ogg)" != "$(digest tone.opus -o b.ogg --start 1)" ] || { echo "FAIL: --start ignored"; exit 1; }

set +e
message=$("$spence" render tone.flac -o a.ogg 2>&1)
code=$?
set -e
[ $code -eq 1 ] && [[ "$message" == *"FLAC is not supported"* ]] || { echo "FAIL: FLAC gave $code: $message"; exit 1; }
echo "all render checks passed"
