#pragma once
// One track's audio, 20 ms at a time, in whichever form the caller can use:
//   a packet:  the source's own Opus packet, to send untouched (passthrough), when the source is
//              48 kHz Opus with 20 ms packets and at most two channels, no filter is enabled,
//              passthrough is allowed and the caller asks for packets;
//   PCM:       decode -> mix to stereo -> resample to 48 kHz -> filters, 960 stereo frames.
// The form may change at any frame. Packets to PCM is seamless: the decoder is primed with the
// packets already sent, and the first PCM frame carries the audio of the last packet sent so an
// encoder can be primed to continue that stream. PCM back to packets happens only where decoding
// stands exactly at a packet boundary, so no audio is lost or repeated.
// The same media and settings give the same frames, bit for bit.

#include <boost/describe/enum.hpp>

#include "engine/dsp/filter_chain.hpp"
#include "engine/media_open.hpp"
#include "engine/resampler.hpp"
#include "engine/stereo_downmix.hpp"

#include <array>
#include <optional>

namespace spence::engine {

class opus_decoding_source;

enum class passthrough_policy { automatic, never };
BOOST_DESCRIBE_ENUM(passthrough_policy, automatic, never)

// Whether a stream's packets can go to the wire as they are: mono or stereo with the plain channel
// mapping (family 0), which is what Discord's receivers decode.
bool stream_can_pass_through(const opus_stream_info& info);

struct track_settings {
  std::int64_t start_sample = 0;  // where the track starts, in 48 kHz samples
  filter_settings filters;        // any enabled filter needs PCM
  passthrough_policy passthrough = passthrough_policy::automatic;
  resampler_quality resampling = default_resampler_quality;
};

struct track_frame {
  // Set: the source's packet, to send as it is. Empty: `pcm` holds the frame. (Both are set only by
  // next_handing_back().)
  std::span<const std::uint8_t> packet;
  // frame_samples interleaved stereo frames at 48 kHz; the end of the track is padded with silence.
  std::span<const float> pcm;
  // On the first PCM frame after packets: the decoded audio of the last packet sent (empty if none).
  std::span<const float> primer;
};

class track_reader {
 public:
  static constexpr std::size_t frame_samples = 960;  // 20 ms at 48 kHz
  // A network source with fewer bytes than this ready is not read on a tick: about a second of
  // 128 kbit/s audio, more than any one frame of any supported container needs.
  static constexpr std::size_t ready_bytes = 16 * 1024;
  // 5 ms, as the player's other declicking ramps.
  static constexpr std::size_t filter_fade_samples = 240;

  track_reader(opened_media media, const track_settings& settings);
  ~track_reader();
  track_reader(const track_reader&) = delete;
  track_reader& operator=(const track_reader&) = delete;

  // The next 20 ms (valid until the next call), or nullopt at the end of the track. A packet only
  // when `packets_allowed`. Throws media_error when the source fails.
  std::optional<track_frame> next(bool packets_allowed);

  // For a caller handing back from PCM to packets (see frame_encoder): next(false), and when
  // can_resume_packets() and the frame is exactly one source packet decoded, that packet too, so the
  // caller may send either; next(true) then goes on from the packet after it.
  std::optional<track_frame> next_handing_back();

  // Continues from `sample` (48 kHz, from the start of the track): packet-accurate in passthrough,
  // sample-exact for PCM. Throws media_error(not_seekable).
  void seek(std::int64_t sample);

  // Takes effect from the next frame, the old filters' output fading into the new ones' over
  // filter_fade_samples so the change is not a click. Throws std::invalid_argument on invalid
  // settings (and keeps the old ones).
  void set_filters(const filter_settings& filters);

  // Whether next(true) would return a packet now although the frames so far were PCM.
  bool can_resume_packets() const;
  // Whether next() can run without waiting on the network.
  bool ready() const;
  // The 48 kHz sample the next frame starts at.
  std::int64_t position() const noexcept { return position_; }
  // Length in 48 kHz samples when the container says it.
  std::optional<std::int64_t> duration() const;
  bool passthrough() const noexcept { return passthrough_.has_value(); }
  // Whether the settings and what the stream showed so far allow packets at all.
  bool packets_qualify() const noexcept { return packets_qualify_; }
  // Starts loading the members next() reads in passthrough into the cache, without waiting: a
  // tick shard calls it a few players ahead, so their cache misses overlap.
  void prefetch() const noexcept {
    __builtin_prefetch(this);
    __builtin_prefetch(reinterpret_cast<const char*>(this) + 64);
    __builtin_prefetch(reinterpret_cast<const char*>(this) + 128);
  }
  // What the source's packets decode with (its OpusHead); for PCM-only sources, a stereo head.
  const opus_head& source_head() const noexcept { return source_head_; }
  const std::string& name() const noexcept { return name_; }

 private:
  // Packets kept to prime the decoder on a switch: RFC 7845's 80 ms pre-roll in 20 ms packets.
  static constexpr std::size_t primer_packets = 4;

  struct passthrough_state {
    explicit passthrough_state(std::unique_ptr<opus_demuxer> d) : demuxer(std::move(d)) {}
    std::unique_ptr<opus_demuxer> demuxer;
    // The latest packets sent, to prime a decoder if the stream stops qualifying: a ring whose
    // buffers are reused, so keeping a packet allocates nothing once the ring is full.
    std::array<std::vector<std::uint8_t>, primer_packets> recent;
    std::size_t recent_count = 0;  // packets in the ring
    std::size_t recent_next = 0;   // the slot the next packet goes to (the oldest once full)
    // What the packets of the stream seen last allow, checked again only when the stream changes.
    std::optional<std::uint32_t> stream_index;
    bool stream_passes = false;
    std::int64_t codec_delay = 0;
  };

  std::optional<track_frame> next_packet();
  std::optional<track_frame> next_pcm();
  // Switches to decoding, `first` being the packet that is not passed through.
  void start_decoding(const opus_packet& first);
  // Back to packets, if decoding stands at a packet boundary with nothing pending.
  bool try_resume_packets();
  void use_pcm(std::unique_ptr<pcm_source> pcm);
  // Appends a decoded block (any format) to pending_ as 48 kHz stereo, filtered.
  void convert(const pcm_block& block);
  // How many frames next_pcm() asks the source for.
  std::size_t frames_to_read() const;
  void deliver(std::span<const float> stereo48);
  void flush_resampler();
  void use_filters();
  void update_packets_qualify();

  // What a passthrough frame reads comes first, in the lines prefetch() loads.
  const byte_reader* waiting_bytes_;  // the source's reader if it may ever wait for the network
  bool packets_qualify_ = false;
  bool stream_disqualified_ = false;  // a packet showed the stream cannot pass through
  std::int64_t position_ = 0;
  std::optional<passthrough_state> passthrough_;

  std::string name_;
  track_settings settings_;
  opus_head source_head_;
  std::optional<std::int64_t> opus_duration_;

  std::unique_ptr<pcm_source> pcm_;
  opus_decoding_source* decoding_ = nullptr;  // pcm_, when it decodes an Opus demuxer
  pcm_format format_;  // of the blocks the mixer and resampler are set up for
  std::optional<stereo_downmix> downmix_;
  std::unique_ptr<resampler> resampler_;
  std::optional<filter_chain> filters_;
  // The filters being replaced while filter_fade_done_ < filter_fade_samples; none: fading in from
  // the unfiltered audio.
  std::optional<filter_chain> fading_filters_;
  std::size_t filter_fade_done_ = filter_fade_samples;
  std::vector<float> stereo_;   // one block mixed to stereo (from any other layout)
  std::vector<float> pending_;  // 48 kHz stereo not yet returned
  std::vector<float> staged_;   // a filtered block on its way into pending_
  std::vector<float> primer_;   // the audio of the last packet sent, for the first PCM frame
  std::size_t pending_start_ = 0;
  bool primer_fresh_ = false;  // primer_ belongs to the next PCM frame
  bool source_ended_ = false;
};

}  // namespace spence::engine
