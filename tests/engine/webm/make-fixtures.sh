#!/usr/bin/env bash
# Generates the WebM/Matroska test media into $1: tones from sox, Opus from ffmpeg's libopus,
# Matroska from ffmpeg and mkvmerge, and the Ogg Opus files the demuxed packets are checked against.
set -euo pipefail
out=${1:?usage: make-fixtures.sh <output dir>}
mkdir -p "$out"
cd "$out"
ff() { ffmpeg -hide_banner -loglevel error -nostdin -y "$@"; }
# mkvmerge exits 1 on warnings; only 2 is an error.
mkv() { mkvmerge -q --engage no_variable_data "$@" || [ $? -eq 1 ]; }

# Sources: 12 s so that files hold several clusters and cue points.
sox -n -r 48000 -c 2 stereo48.wav synth 12 sine 220-880 sine 330-990 vol 0.5
sox -n -r 44100 -c 1 mono44.wav synth 12 sine 440-1200 vol 0.5

# ffmpeg: WebM written directly (clusters of at most 2 s, Cues at the end), then the same packets
# remuxed to Ogg as the reference.
ff -i stereo48.wav -c:a libopus -b:a 96k -frame_duration 20 -cluster_time_limit 2000 -f webm ff_stereo_20ms.webm
ff -i ff_stereo_20ms.webm -c copy ff_stereo_20ms.opus
ff -i mono44.wav -c:a libopus -b:a 48k -frame_duration 60 -cluster_time_limit 2000 -f webm ff_mono44_60ms.webm
ff -i ff_mono44_60ms.webm -c copy ff_mono44_60ms.opus
# The same stream as Matroska (CRC-32 in every level-1 element), as a live stream (Segment of
# unknown size, no Cues) and as written to a pipe (no Cues, Segment of unknown size).
ff -i ff_stereo_20ms.webm -c copy -cluster_time_limit 2000 -f matroska ff_stereo_crc.mka
ff -i ff_stereo_20ms.webm -c copy -cluster_time_limit 2000 -live 1 -f webm ff_stereo_live.webm
ff -i ff_stereo_20ms.webm -c copy -cluster_time_limit 2000 -f webm - > ff_stereo_pipe.webm

# A video track before the audio one: the reader skips its blocks.
ff -f lavfi -i testsrc=size=64x48:rate=25:duration=4 -i stereo48.wav -map 0:v -map 1:a -t 4 \
  -c:v libvpx -deadline realtime -cpu-used 8 -b:v 200k -c:a libopus -b:a 64k -f webm ff_video_audio.webm
ff -i ff_video_audio.webm -map 0:a -c copy ff_video_audio.opus

# Audio tracks without Opus.
ff -i stereo48.wav -t 2 -c:a libvorbis -f webm vorbis.webm
ff -i stereo48.wav -t 2 -c:a aac -f matroska aac.mka

# mkvmerge from Ogg Opus: Xiph or EBML lacing as requested (by default it picks the smaller one
# per block), fixed-size lacing for constant-size packets (CBR), BlockGroups instead of
# SimpleBlocks, and a file without Cues.
ff -i stereo48.wav -c:a libopus -b:a 96k -frame_duration 20 stereo_20ms.opus
ff -i stereo48.wav -c:a libopus -b:a 64k -vbr off -frame_duration 20 stereo_cbr.opus
ff -i mono44.wav -c:a libopus -b:a 48k -frame_duration 60 mono44_60ms.opus
mkv --engage lacing_xiph -o mkv_xiph.mka stereo_20ms.opus
mkv --engage lacing_ebml -o mkv_ebml.mka stereo_20ms.opus
mkv -o mkv_fixed.mka stereo_cbr.opus
mkv --engage no_simpleblocks -o mkv_blockgroups.mka stereo_20ms.opus
mkv --no-cues -o mkv_nocues.mka stereo_20ms.opus
mkv -o mkv_mono44_60ms.mka mono44_60ms.opus

rm -f stereo48.wav mono44.wav
