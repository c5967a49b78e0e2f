#pragma once
// The EBML and Matroska element IDs the WebM reader acts on (RFC 8794, RFC 9559), written with
// their length-marker bits as they appear in files. Every other ID is skipped whole.

#include <cstdint>

namespace spence::engine::matroska_id {

// Global elements: may appear inside any master element and carry nothing the reader needs.
inline constexpr std::uint32_t void_element = 0xEC;
inline constexpr std::uint32_t crc32 = 0xBF;

// EBML header.
inline constexpr std::uint32_t ebml = 0x1A45DFA3;
inline constexpr std::uint32_t ebml_read_version = 0x42F7;
inline constexpr std::uint32_t doc_type = 0x4282;

// Top level and the Segment's children.
inline constexpr std::uint32_t segment = 0x18538067;
inline constexpr std::uint32_t seek_head = 0x114D9B74;
inline constexpr std::uint32_t info = 0x1549A966;
inline constexpr std::uint32_t tracks = 0x1654AE6B;
inline constexpr std::uint32_t cues = 0x1C53BB6B;
inline constexpr std::uint32_t cluster = 0x1F43B675;
inline constexpr std::uint32_t tags = 0x1254C367;
inline constexpr std::uint32_t chapters = 0x1043A770;
inline constexpr std::uint32_t attachments = 0x1941A469;

// SeekHead.
inline constexpr std::uint32_t seek = 0x4DBB;
inline constexpr std::uint32_t seek_id = 0x53AB;
inline constexpr std::uint32_t seek_position = 0x53AC;

// Info.
inline constexpr std::uint32_t timestamp_scale = 0x2AD7B1;
inline constexpr std::uint32_t duration = 0x4489;

// Tracks.
inline constexpr std::uint32_t track_entry = 0xAE;
inline constexpr std::uint32_t track_number = 0xD7;
inline constexpr std::uint32_t track_type = 0x83;
inline constexpr std::uint32_t codec_id = 0x86;
inline constexpr std::uint32_t codec_private = 0x63A2;
inline constexpr std::uint32_t codec_delay = 0x56AA;
inline constexpr std::uint32_t content_encodings = 0x6D80;

// Cues.
inline constexpr std::uint32_t cue_point = 0xBB;
inline constexpr std::uint32_t cue_time = 0xB3;
inline constexpr std::uint32_t cue_track_positions = 0xB7;
inline constexpr std::uint32_t cue_track = 0xF7;
inline constexpr std::uint32_t cue_cluster_position = 0xF1;

// Cluster.
inline constexpr std::uint32_t cluster_timestamp = 0xE7;
inline constexpr std::uint32_t simple_block = 0xA3;
inline constexpr std::uint32_t block_group = 0xA0;
inline constexpr std::uint32_t block = 0xA1;
inline constexpr std::uint32_t discard_padding = 0x75A2;

// TrackType of an audio track.
inline constexpr std::uint64_t track_type_audio = 2;

}  // namespace spence::engine::matroska_id
