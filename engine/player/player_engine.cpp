#include "engine/player/player_engine.hpp"

#include "engine/media_error.hpp"
#include "engine/player/player_volume.hpp"

#include <algorithm>
#include <array>

namespace spence::engine {
namespace {

constexpr std::size_t frame_values = track_reader::frame_samples * 2;
// A source failing this many frames in a row is given up (the track ends as loadFailed).
constexpr int faults_before_giving_up = 3;

std::size_t samples_of_ms(std::uint32_t ms) { return static_cast<std::size_t>(ms) * 48; }

// One frame, to prime a run that follows silence.
constexpr std::array<float, frame_values> silence{};

}  // namespace

// What a frame is mixed in holds nothing from one tick to the next, so the engines ticked on a
// thread share one set of buffers, which stays in cache from player to player: buffers of each
// engine's own would be 23 KB that every transcoding player brings in from memory at every tick.
// A tick runs start to end on one thread and never inside another engine's.
struct player_engine::mix_buffers {
  std::array<float, frame_values> mix;
  std::array<float, frame_values> other;
  std::array<float, frame_values> effect;
};

player_engine::mix_buffers& player_engine::thread_mix_buffers() {
  thread_local mix_buffers buffers{};
  return buffers;
}

player_engine::player_engine(const player_settings& settings, std::shared_ptr<packet_sink> sink, event_handler events)
    : settings_(settings),
      sink_(std::move(sink)),
      events_(std::move(events)),
      encoder_(settings.encoder),
      ducking_(settings.ducking) {}

player_engine::~player_engine() = default;

float player_engine::target_gain() const {
  return paused_ || stopping_ ? 0.0f : player_volume_gain(volume_percent_);
}

bool player_engine::play(track_to_play track, bool no_replace) {
  const bool playing_now = current_ && !current_->ended_early;
  if (no_replace && playing_now) return false;
  if (filters_.any_enabled()) track.reader->set_filters(filters_);
  if (playing_now) {
    emit(track_ended{current_->id, track_end_reason::replaced});
    fade_out_current(declick_ramp_frames);
  } else if (current_) {
    // Reported finished early for this: the rest of it fades out under the new track.
    const auto duration = current_->reader->duration().value_or(current_->reader->position());
    const auto left = std::max<std::int64_t>(0, duration - current_->reader->position());
    fade_out_current(std::max<std::size_t>(declick_ramp_frames, static_cast<std::size_t>(left)));
  }
  if (stopping_) {
    stopping_ = false;
    gain_.set_target(target_gain(), declick_ramp_frames);
  }
  current_.emplace(playing{std::move(track.id), std::move(track.reader), track.end_sample});
  track_id_.store(std::make_shared<const std::string>(current_->id));
  return true;
}

void player_engine::fade_out_current(std::size_t frames) {
  outgoing_.emplace(fading{std::move(*current_), crossfade(frames)});
  current_.reset();
}

void player_engine::end_current(track_end_reason reason) {
  if (!current_) return;
  if (!current_->ended_early) emit(track_ended{current_->id, reason});
  current_.reset();
  pending_seek_.reset();
  track_id_.store(nullptr);
  if (stopping_) {
    stopping_ = false;
    gain_.set_target(target_gain(), 0);  // nothing sounds: the next track starts at full volume
  }
}

void player_engine::stop() {
  if (!current_) return;
  if (music_paused()) {
    end_current(track_end_reason::stopped);
    return;
  }
  stopping_ = true;
  gain_.set_target(0.0f, declick_ramp_frames);
}

void player_engine::clean_up() {
  outgoing_.reset();
  effect_.reset();
  ducking_ = ducking_mixer(settings_.ducking);  // no release of a duck to play out
  encoder_.drop();
  end_current(track_end_reason::cleanup);
  // Nothing is left to tick, so the shard parks the player: the sink's stream ends here.
  sink_->flush();
}

void player_engine::set_paused(bool paused) {
  paused_ = paused;
  gain_.set_target(target_gain(), declick_ramp_frames);
}

void player_engine::seek(std::int64_t sample) {
  if (current_) pending_seek_ = std::max<std::int64_t>(0, sample);
}

void player_engine::set_end(std::optional<std::int64_t> sample) {
  if (!current_) return;
  // A seek not yet done counts as done, as lavaplayer's position does.
  const bool passed = sample && pending_seek_.value_or(current_->reader->position()) >= *sample;
  current_->end_sample = passed ? std::nullopt : sample;
}

void player_engine::set_volume(int percent) {
  volume_percent_ = std::clamp(percent, 0, max_volume_percent);
  gain_.set_target(target_gain(), declick_ramp_frames);
}

void player_engine::set_filters(const filter_settings& filters) {
  validate(filters);
  filters_ = filters;
  if (current_) current_->reader->set_filters(filters_);
}

void player_engine::play_effect(std::unique_ptr<track_reader> clip) { effect_ = std::move(clip); }

bool player_engine::music_paused() const { return paused_ && gain_.settled() && gain_.current() == 0.0f; }

bool player_engine::packets_allowed() const {
  return settings_.passthrough == passthrough_policy::automatic && current_ && !outgoing_ && !effect_ &&
         !pending_seek_ && !paused_ && !stopping_ && gain_.settled() && gain_.current() == 1.0f &&
         ducking_.music_gain() == 1.0f;
}

void player_engine::prefetch() const noexcept {
  // The members a frame reads, wherever the layout puts them (outgoing_ is read for its flag,
  // which sits at its end), then the reader's.
  const auto* outgoing_end = reinterpret_cast<const char*>(&outgoing_ + 1) - 1;
  for (const void* member : {static_cast<const void*>(&settings_), static_cast<const void*>(&encoder_),
                             static_cast<const void*>(&gain_), static_cast<const void*>(&ducking_),
                             static_cast<const void*>(outgoing_end), static_cast<const void*>(&effect_),
                             static_cast<const void*>(&paused_), static_cast<const void*>(&statistics_),
                             static_cast<const void*>(&position_ms_)})
    __builtin_prefetch(member);
  __builtin_prefetch(sink_.get());  // sink_ itself is in the first lines, which the shard loaded
  if (current_) current_->reader->prefetch();
}

bool player_engine::active() const {
  if (outgoing_ || effect_ || encoder_.holds_audio()) return true;
  return current_ && !music_paused();
}

std::optional<track_frame> player_engine::read_current(read_form form) {
  auto& track = *current_;
  if (track.end_sample && track.reader->position() >= *track.end_sample) {
    end_current(track_end_reason::finished);
    return std::nullopt;
  }
  std::optional<track_frame> frame;
  try {
    frame = form == read_form::handing_back ? track.reader->next_handing_back() : track.reader->next(form == read_form::packets);
    track.faults_in_a_row = 0;
  } catch (const std::exception& e) {
    emit(track_exception{track.id, e.what(), exception_severity::fault});
    if (++track.faults_in_a_row >= faults_before_giving_up) {
      end_current(track_end_reason::load_failed);
      return std::nullopt;
    }
    // This frame is muted; the next one tries again.
    return track_frame{{}, std::span<const float>(), {}};
  }
  if (!frame) {
    end_current(track_end_reason::finished);
    return std::nullopt;
  }
  if (settings_.crossfade_ms > 0 && !track.ended_early) {
    const auto duration = track.reader->duration();
    if (duration && *duration - track.reader->position() <= static_cast<std::int64_t>(samples_of_ms(settings_.crossfade_ms))) {
      emit(track_ended{track.id, track_end_reason::finished});
      track.ended_early = true;
    }
  }
  return frame;
}

bool player_engine::read_pcm_into(track_reader& reader, std::span<float> out, std::span<const float>* primer) {
  try {
    if (auto frame = reader.next(false); frame && !frame->pcm.empty()) {
      std::copy(frame->pcm.begin(), frame->pcm.end(), out.begin());
      if (primer && !frame->primer.empty()) *primer = frame->primer;
      return true;
    }
  } catch (const std::exception&) {
    // A track already reported ended (fading out, a clip): silence, nothing more to tell.
  }
  std::fill(out.begin(), out.end(), 0.0f);
  return false;
}

std::span<const float> player_engine::keep(std::span<const float> primer) {
  if (primer.empty()) return primer;
  primer_store_.assign(primer.begin(), primer.end());
  return primer_store_;
}

bool player_engine::mix_pcm(mix_buffers& buffers, std::span<const float>& primer) {
  const std::span<float> mix = buffers.mix, other = buffers.other;
  bool sounding = false;
  std::fill(mix.begin(), mix.end(), 0.0f);
  if (current_ && !music_paused()) {
    if (pending_seek_) {
      // The old position's next 20 ms fade out under the new position's first. If they were
      // packets so far, the encoder continues from the last one sent (the reader's primer stays
      // valid through the seek: it is only rewritten when the reader leaves packets again).
      read_pcm_into(*current_->reader, other, &primer);
      primer = keep(primer);
      const auto target = *pending_seek_;
      pending_seek_.reset();
      try {
        current_->reader->seek(target);
        outgoing_.reset();
        read_pcm_into(*current_->reader, mix);
        crossfade(declick_ramp_frames).mix(other, mix, mix);
      } catch (const std::exception& e) {
        emit(track_exception{current_->id, e.what(), exception_severity::common});
        std::copy(other.begin(), other.end(), mix.begin());
      }
      sounding = true;
    } else if (auto frame = read_current(read_form::pcm)) {
      if (!frame->pcm.empty()) std::copy(frame->pcm.begin(), frame->pcm.end(), mix.begin());
      primer = frame->primer;
      sounding = true;
    }
  }
  if (outgoing_) {
    // A track replaced (or crossfaded) during passthrough: the encoder continues its packets.
    read_pcm_into(*outgoing_->track.reader, other, &primer);
    primer = keep(primer);  // the outgoing reader may be gone before the encoder takes it
    outgoing_->fade.mix(other, mix, mix);
    if (outgoing_->fade.done()) outgoing_.reset();
    sounding = true;
  }
  gain_.apply(mix);
  if (effect_ || ducking_.music_gain() < 1.0f) {
    std::span<const float> effect;
    if (effect_) {
      if (read_pcm_into(*effect_, buffers.effect))
        effect = buffers.effect;
      else
        effect_.reset();
    }
    ducking_.mix(mix, effect);
    sounding = true;
  }
  return sounding;
}

void player_engine::tick(std::uint64_t frame, actors::clock::time_point deadline) {
  if (current_ && !music_paused() && !current_->reader->ready()) {
    // Never wait on the network on a tick: this frame is nulled.
    auto& track = *current_;
    statistics_.nulled(frame);
    frames_nulled_.fetch_add(1, std::memory_order_relaxed);
    if (++track.frames_unready * 20 >= settings_.stuck_threshold_ms && !track.stuck_reported) {
      track.stuck_reported = true;
      emit(track_stuck{track.id, settings_.stuck_threshold_ms});
    }
    return;
  }
  if (current_) {
    current_->frames_unready = 0;
    current_->stuck_reported = false;
    if (!current_->started) {
      current_->started = true;
      emit(track_started{current_->id});
    }
  }
  mix_buffers& buffers = thread_mix_buffers();
  const std::span<float> mix = buffers.mix;
  // A switch from packets to PCM needs two frames in before the first packet comes out.
  for (int pulls = 0; pulls < 3; ++pulls) {
    if (auto packet = encoder_.pop()) {
      send(frame, deadline, *packet);
      break;
    }
    bool packets = packets_allowed();
    if (packets && encoder_.holds_audio()) {
      if (current_->reader->can_resume_packets()) {
        // Handing back: the source's own audio, encoded, until its next packet can take over.
        const auto f = read_current(read_form::handing_back);
        if (!f) continue;  // the track ended: what the encoder holds ends the stream
        std::fill(mix.begin(), mix.end(), 0.0f);
        std::copy(f->pcm.begin(), f->pcm.end(), mix.begin());
        if (auto packet = encoder_.push_handing_back(mix, f->packet)) {
          passthrough_.store(false, std::memory_order_relaxed);
          send(frame, deadline, *packet);
          break;
        }
        continue;
      }
      packets = false;
    }
    if (packets) {
      if (auto f = read_current(read_form::packets); f && !f->packet.empty()) {
        passthrough_.store(true, std::memory_order_relaxed);
        send(frame, deadline, f->packet);
        break;
      } else if (f) {
        // The reader turned to PCM by itself (the stream stopped qualifying).
        std::copy(f->pcm.begin(), f->pcm.end(), mix.begin());
        gain_.apply(mix);
        encode_mix(mix, f->primer);
        continue;
      }
    }
    passthrough_.store(false, std::memory_order_relaxed);
    std::span<const float> primer;
    if (!mix_pcm(buffers, primer)) {
      // Nothing sounds any more: what the encoder holds ends the stream.
      if (auto packet = encoder_.finish()) send(frame, deadline, *packet);
      break;
    }
    encode_mix(mix, primer);
  }
  after_frame();
}

void player_engine::encode_mix(std::span<const float> mix, std::span<const float> primer) {
  // A run that follows silence (a resume, a track starting as PCM) is primed with that silence, as
  // one after packets is with their audio: its packets then line up with the frames, and it can
  // hand back to the source's packets exactly.
  if (primer.empty() && !encoder_.holds_audio()) primer = silence;
  encoder_.push(mix, primer);
}

void player_engine::after_frame() {
  if (stopping_ && gain_.settled() && gain_.current() == 0.0f) end_current(track_end_reason::stopped);
  if (current_) position_ms_.store(current_->reader->position() / 48, std::memory_order_relaxed);
  if (!active()) sink_->flush();
}

void player_engine::send(std::uint64_t frame, actors::clock::time_point deadline, std::span<const std::uint8_t> packet) {
  sink_->send(outgoing_frame{frame, deadline, packet});
  statistics_.sent(frame);
  packets_sent_.fetch_add(1, std::memory_order_relaxed);
}

player_snapshot player_engine::snapshot() const {
  player_snapshot s;
  if (auto id = track_id_.load()) s.track = *id;
  s.position_ms = position_ms_.load(std::memory_order_relaxed);
  s.paused = paused_;
  s.volume_percent = volume_percent_;
  s.passthrough = passthrough_.load(std::memory_order_relaxed);
  s.frames = statistics_.last();
  s.packets_sent = packets_sent_.load(std::memory_order_relaxed);
  s.frames_nulled = frames_nulled_.load(std::memory_order_relaxed);
  return s;
}

}  // namespace spence::engine
