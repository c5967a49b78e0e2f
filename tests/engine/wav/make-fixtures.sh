#!/usr/bin/env bash
# Generates the WAV reader's fixtures into $1: every sample format spence reads, written by sox and
# by ffmpeg (plain, WAVE_FORMAT_EXTENSIBLE, RF64, streamed), each with <name>.f32, ffmpeg's decode
# of it to interleaved 32-bit float, the reference; and formats spence refuses, without reference.
set -euo pipefail
out=$1
mkdir -p "$out"
cd "$out"

ff() { ffmpeg -hide_banner -loglevel error -nostdin -y "$@"; }
# White noise spans the whole range (clipping at both extremes), so every code path is exercised.
# noise <output> <rate> <channels> <sox output options...>
# Generated at the output's rate (no resampling), without dither, repeatably (fixed random seed),
# quietly (clipping is the point).
noise() {
  local output=$1 rate=$2 channels=$3
  shift 3
  sox -V1 -R -D -r "$rate" -c "$channels" -n "$@" "$output" synth 0.25 whitenoise
}

# sox: plain PCM for 8 and 16 bits, WAVE_FORMAT_EXTENSIBLE from 24 bits unless told wavpcm, tag 3
# (with an 18-byte fmt and a fact chunk) for float.
noise u8_mono_8k.wav 8000 1 -e unsigned -b 8
noise s16_stereo_44k.wav 44100 2 -b 16
noise s24_plain_stereo_96k.wav 96000 2 -b 24 -t wavpcm
noise s24_ext_stereo_48k.wav 48000 2 -b 24
noise f32_plain_mono_22k.wav 22050 1 -e floating-point -b 32
noise f64_plain_stereo_44k.wav 44100 2 -e floating-point -b 64
noise s16_mono_384k.wav 384000 1 -b 16
noise s16_8ch_8k.wav 8000 8 -b 16

# ffmpeg: WAVE_FORMAT_EXTENSIBLE beyond 16 bits or 2 channels, a LIST chunk before the data. One
# ffmpeg run writes several outputs; ffmpeg starts slowly.
noise source_stereo.wav 44100 2 -e floating-point -b 32
noise source_6ch.wav 48000 6 -e floating-point -b 32
# Written to a pipe, ffmpeg cannot go back to fill in the sizes: RIFF and data say 0xFFFFFFFF.
ff -i source_stereo.wav \
  -c:a pcm_s32le s32_ext_stereo_44k.wav \
  -c:a pcm_f32le f32_ext_stereo_44k.wav \
  -c:a pcm_f64le f64_ext_stereo_44k.wav \
  -c:a pcm_s16le -rf64 always rf64_s16_stereo_44k.wav \
  -c:a pcm_s16le -f wav pipe:1 > streamed_s16_stereo_44k.wav
ff -i source_6ch.wav -c:a pcm_s16le s16_ext_6ch_48k.wav
rm source_stereo.wav source_6ch.wav

# The references, all in one ffmpeg run: input n decoded to f32le as <name>.f32.
inputs=()
outputs=()
n=0
for wav in *.wav; do
  inputs+=(-i "$wav")
  outputs+=(-map "$n:a" -f f32le "${wav%.wav}.f32")
  n=$((n + 1))
done
ff "${inputs[@]}" "${outputs[@]}"

# Refused: compressed formats in WAV, and more channels than spence mixes.
sox -V1 -R -D -r 8000 -c 1 -n -b 16 tone.wav synth 0.25 sine 440
ff -i tone.wav \
  -c:a adpcm_ms unsupported_adpcm_ms.wav \
  -c:a adpcm_ima_wav unsupported_ima_adpcm.wav \
  -c:a pcm_mulaw unsupported_mulaw.wav \
  -c:a pcm_alaw unsupported_alaw.wav \
  -c:a libmp3lame -f wav unsupported_mp3.wav
rm tone.wav
noise unsupported_9ch.wav 8000 9 -b 16
