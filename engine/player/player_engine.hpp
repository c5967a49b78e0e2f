#pragma once
// A guild's audio: the track playing (and one fading out), the player's volume and pause, an effect
// layer, and the encoder that turns their mix into the guild's one continuous Opus stream. A tick
// shard calls tick() every 20 ms; commands run between ticks, so each takes effect at a frame
// boundary.
//
// Passthrough whenever it changes nothing audible: one track, its packets qualifying, volume 100%,
// no filter, no ramp, no crossfade, no effect. Coming back to it mid-audio, the encoder goes on
// with the source's own audio until the receiver would decode the source's next packet as the
// source meant (measured, see frame_encoder), so the switch is not heard. Otherwise the frame is
// mixed as PCM and encoded:
// - pause, resume, stop and volume changes ramp the gain over declick_ramp_frames (5 ms);
// - seek and replacing a track crossfade old and new audio over the same 5 ms;
// - with a crossfade length set, a track nearing its end reports `finished` that much early and
//   fades out under the next track if one is played in time (a Lavalink client starts the next
//   track on that event);
// - effect clips play over the music, which ducks under them;
// - a source that fails mutes that frame and reports the exception; after three failures in a row
//   the track ends (loadFailed). A network source with no audio ready is not waited for: the
//   frame is nulled, and after the stuck threshold the track is reported stuck.
//
// Owned and called by one strand at a time (the shard's); snapshot() may be read from anywhere.

#include <boost/describe/class.hpp>

#include "engine/frame_encoder.hpp"
#include "engine/player/crossfade.hpp"
#include "engine/player/ducking_mixer.hpp"
#include "engine/player/frame_statistics.hpp"
#include "engine/player/gain_ramp.hpp"
#include "engine/player/packet_sink.hpp"
#include "engine/player/player_events.hpp"
#include "engine/player/tickable.hpp"
#include "engine/track_reader.hpp"

#include <atomic>
#include <functional>
#include <memory>
#include <optional>
#include <string>

namespace spence::engine {

struct player_settings {
  opus_encoder_settings encoder;
  passthrough_policy passthrough = passthrough_policy::automatic;
  std::uint32_t crossfade_ms = 0;  // between consecutive tracks; 0: none
  ducking_settings ducking;
  std::uint32_t stuck_threshold_ms = 10000;  // Lavalink's default
  resampler_quality resampling = default_resampler_quality;  // for sources not at 48 kHz
};
BOOST_DESCRIBE_STRUCT(player_settings, (), (encoder, passthrough, crossfade_ms, ducking, stuck_threshold_ms, resampling))

// A track to play, opened (opening may wait on the network, so it happens before the command).
struct track_to_play {
  std::string id;
  std::unique_ptr<track_reader> reader;
  std::optional<std::int64_t> end_sample;  // stop here (48 kHz samples), reported as finished
};

struct player_snapshot {
  std::string track;              // empty when none
  std::int64_t position_ms = 0;
  bool paused = false;
  int volume_percent = 100;
  bool passthrough = false;       // the last frame was the source's packet
  frame_statistics::last_minute frames;
  std::uint64_t packets_sent = 0;
  std::uint64_t frames_nulled = 0;
};

class player_engine final : public tickable {
 public:
  static constexpr int max_volume_percent = 1000;
  using event_handler = std::function<void(player_event)>;

  // `events` is called on the tick strand; it must not block.
  player_engine(const player_settings& settings, std::shared_ptr<packet_sink> sink, event_handler events);
  ~player_engine() override;

  // Starts `track`, replacing the one playing (reported as replaced) unless `no_replace`, in
  // which case a playing track stays and this returns false.
  bool play(track_to_play track, bool no_replace = false);
  void stop();
  void set_paused(bool paused);
  // Throws media_error(not_seekable).
  void seek(std::int64_t sample);
  // Moves the playing track's end (nullopt: none). As Lavalink's end marker, an end the track
  // has already passed is dropped rather than ending the track at once.
  void set_end(std::optional<std::int64_t> sample);
  // 0 to 1000 (%); out-of-range values are clamped, as Lavalink does.
  void set_volume(int percent);
  // Throws std::invalid_argument.
  void set_filters(const filter_settings& filters);
  // Plays a short clip over the music (replacing a clip still sounding).
  void play_effect(std::unique_ptr<track_reader> clip);
  // Ends the track as `cleanup` (the player is being destroyed): nothing more is sent, not even
  // what the encoder holds, and the sink is flushed.
  void clean_up();

  void tick(std::uint64_t frame, actors::clock::time_point deadline) override;
  bool active() const override;
  void prefetch() const noexcept override;

  player_snapshot snapshot() const;

 private:
  struct playing {
    std::string id;
    std::unique_ptr<track_reader> reader;
    std::optional<std::int64_t> end_sample;
    bool started = false;        // track_started reported
    bool ended_early = false;    // `finished` reported for the crossfade into the next track
    int faults_in_a_row = 0;
    std::uint64_t frames_unready = 0;
    bool stuck_reported = false;
  };
  struct fading {
    playing track;
    crossfade fade;
  };

  void end_current(track_end_reason reason);
  // Moves the current track to fade out over `frames`; the current slot is then free.
  void fade_out_current(std::size_t frames);
  bool music_paused() const;
  bool packets_allowed() const;
  enum class read_form { pcm, packets, handing_back };  // which of track_reader's next() to call
  // The current track's next frame; handles its end and its failures (then: nullopt).
  std::optional<track_frame> read_current(read_form form);
  // The buffers a frame is mixed in: the thread's, shared by every engine ticked on it.
  struct mix_buffers;
  static mix_buffers& thread_mix_buffers();
  // Mixes one PCM frame of everything sounding into buffers.mix; false when nothing sounds any more.
  bool mix_pcm(mix_buffers& buffers, std::span<const float>& primer);
  // Reads one PCM frame of `reader` into `out` (silence past its end or on a failure). When the
  // reader just left packets, sets `primer` to the audio of its last packet (see track_frame).
  static bool read_pcm_into(track_reader& reader, std::span<float> out, std::span<const float>* primer = nullptr);
  // A copy of `primer` owned by the engine, valid until the next call.
  std::span<const float> keep(std::span<const float> primer);
  // Pushes a mixed frame to the encoder (`primer`: see frame_encoder::push).
  void encode_mix(std::span<const float> mix, std::span<const float> primer);
  void after_frame();
  void send(std::uint64_t frame, actors::clock::time_point deadline, std::span<const std::uint8_t> packet);
  void emit(player_event event) { events_(std::move(event)); }
  float target_gain() const;

  // First, so that current_'s reader and sink_ are in the lines the shard loads before calling
  // prefetch().
  std::optional<playing> current_;
  player_settings settings_;
  std::shared_ptr<packet_sink> sink_;
  event_handler events_;
  frame_encoder encoder_;
  gain_ramp gain_;
  ducking_mixer ducking_;
  filter_settings filters_;
  std::optional<fading> outgoing_;
  std::unique_ptr<track_reader> effect_;
  std::vector<float> primer_store_;
  // Atomic because snapshot() reads them from other threads; written by commands only.
  std::atomic<int> volume_percent_{100};
  std::atomic<bool> paused_{false};
  bool stopping_ = false;  // the current track ramps down, then ends as stopped
  std::optional<std::int64_t> pending_seek_;  // done on the next tick, crossfading old and new audio
  frame_statistics statistics_;

  // For snapshot(): written on the tick strand.
  std::atomic<std::int64_t> position_ms_{0};
  std::atomic<bool> passthrough_{false};
  std::atomic<std::uint64_t> packets_sent_{0};
  std::atomic<std::uint64_t> frames_nulled_{0};
  std::atomic<std::shared_ptr<const std::string>> track_id_;
};

}  // namespace spence::engine
