#!/usr/bin/env bash
# Makes the Ogg fixtures in $1: Ogg Opus files encoded by ffmpeg's libopus (opusenc is not
# installed), each with the packet list ffprobe reports for it (<file>.packets: pts=, duration=,
# size= lines per packet), plus Ogg files of other codecs. -fflags +bitexact with explicit serial
# numbers keeps the files the same from run to run.
set -euo pipefail
out=$1
mkdir -p "$out"
cd "$out"

ff() { ffmpeg -nostdin -v error -y "$@"; }
opus() { ff "$@" -c:a libopus -fflags +bitexact; }
# probe <file> <stream specifier>: the packet list of one stream.
probe() { ffprobe -v error -select_streams "$2" -show_entries packet=pts,duration,size -of default=nw=1 "$1" > "$1.packets"; }

# Sources: a 48 kHz tone from ffmpeg, a 44.1 kHz stereo chord from sox, noise for bigger packets.
ff -f lavfi -i "sine=frequency=440:sample_rate=48000:duration=2.5" -ac 1 tone48.wav
sox -n -r 44100 -c 2 -b 16 chord44.wav synth 3 sine 330 sine 550
ff -f lavfi -i "anoisesrc=sample_rate=48000:duration=60:amplitude=0.3" -f lavfi -i "sine=frequency=220:duration=60" \
   -filter_complex "amix=inputs=2" -ac 2 noise60.wav

opus -i tone48.wav -b:a 48k -frame_duration 20 -serial_offset 11 mono48_20ms.opus
opus -i chord44.wav -b:a 96k -frame_duration 60 -serial_offset 22 stereo44_60ms.opus
# Ten pages a second, for seeking by bisection over many pages.
opus -i noise60.wav -b:a 64k -frame_duration 20 -page_duration 100000 -serial_offset 33 long60.opus
for f in mono48_20ms.opus stereo44_60ms.opus long60.opus; do probe "$f" a:0; done

# A chain: two files concatenated byte for byte, with different serial numbers (RFC 3533).
opus -i tone48.wav -t 1.5 -b:a 32k -frame_duration 20 -serial_offset 41 chain_a.opus
opus -i chord44.wav -t 2 -b:a 64k -frame_duration 60 -serial_offset 42 chain_b.opus
probe chain_a.opus a:0
probe chain_b.opus a:0
cat chain_a.opus chain_b.opus > chained.opus

# Multiplexed: Opus beside another stream in one link.
ff -i tone48.wav -i chord44.wav -map 0 -map 1 -c:a:0 libvorbis -c:a:1 libopus -fflags +bitexact vorbis_opus.ogg
probe vorbis_opus.ogg a:1
ff -f lavfi -i "testsrc=size=64x48:rate=10:duration=2" -i tone48.wav -map 0 -map 1 -t 2 \
   -c:v libtheora -c:a libopus -fflags +bitexact theora_opus.ogg
probe theora_opus.ogg a:0
ff -i tone48.wav -i chord44.wav -map 0 -map 1 -t 2 -c:a libopus -fflags +bitexact two_opus.ogg
probe two_opus.ogg a:0

# Other codecs in Ogg.
ff -i tone48.wav -c:a libvorbis vorbis.ogg
ff -i tone48.wav -c:a flac flac.oga
ff -i tone48.wav -ar 16000 -c:a libspeex speex.spx
ff -f lavfi -i "testsrc=size=64x48:rate=10:duration=1" -c:v libtheora theora.ogv

rm tone48.wav chord44.wav noise60.wav
