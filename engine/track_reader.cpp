#include "engine/track_reader.hpp"

#include "engine/opus_packet_samples.hpp"
#include "engine/opus_decoding_source.hpp"

#include <algorithm>

namespace spence::engine {
namespace {

constexpr std::size_t frame_values = track_reader::frame_samples * 2;

}  // namespace

bool stream_can_pass_through(const opus_stream_info& info) {
  return info.head.mapping_family == 0 && info.head.channels <= 2;
}

track_reader::track_reader(opened_media media, const track_settings& settings)
    : waiting_bytes_(media.bytes != nullptr && media.bytes->may_ever_wait() ? media.bytes : nullptr),
      name_(std::move(media.name)),
      settings_(settings) {
  validate(settings_.filters);
  update_packets_qualify();
  if (media.opus) {
    source_head_ = media.opus->info().head;
    opus_duration_ = media.opus->info().duration;
    if (opus_duration_) *opus_duration_ = std::max<std::int64_t>(0, *opus_duration_ - media.opus->info().codec_delay);
    // Starts as packets; the first frame asked for as PCM decodes from there (from the very
    // start, codec delay included, when no packet was sent).
    passthrough_.emplace(std::move(media.opus));
  } else {
    source_head_.channels = 2;
    source_head_.input_sample_rate = media.pcm->format().sample_rate;
    use_pcm(std::move(media.pcm));
  }
  if (settings_.start_sample > 0) seek(settings_.start_sample);
}

track_reader::~track_reader() = default;

// Kept up to date rather than computed per frame: the filter settings span several cache lines.
void track_reader::update_packets_qualify() {
  packets_qualify_ = settings_.passthrough == passthrough_policy::automatic && !settings_.filters.any_enabled() &&
                     !stream_disqualified_;
}

bool track_reader::ready() const {
  return waiting_bytes_ == nullptr || !waiting_bytes_->may_wait() || waiting_bytes_->available() >= ready_bytes;
}

std::optional<std::int64_t> track_reader::duration() const {
  if (opus_duration_) return opus_duration_;
  if (!pcm_) return std::nullopt;
  const auto frames = pcm_->duration_frames();
  if (!frames) return std::nullopt;
  return *frames * 48000 / pcm_->format().sample_rate;
}

void track_reader::seek(std::int64_t sample) {
  sample = std::max<std::int64_t>(0, sample);
  position_ = sample;
  if (passthrough_) {
    passthrough_->demuxer->seek(sample + passthrough_->demuxer->info().codec_delay);
    passthrough_->recent_count = 0;  // primers must be the packets just before the next one
    passthrough_->stream_index.reset();
    return;
  }
  pcm_->seek(sample * pcm_->format().sample_rate / 48000);
  // What was decoded for the old position is dropped; the mixer and resampler are set up afresh
  // by the next block.
  resampler_.reset();
  if (filters_) filters_->reset();
  fading_filters_.reset();
  filter_fade_done_ = filter_fade_samples;
  format_ = {};
  pending_.clear();
  pending_start_ = 0;
  source_ended_ = false;
}

void track_reader::use_pcm(std::unique_ptr<pcm_source> pcm) {
  pcm_ = std::move(pcm);
  use_filters();
}

std::optional<track_frame> track_reader::next(bool packets_allowed) {
  const bool want_packets = packets_allowed && packets_qualify();
  if (passthrough_) {
    if (want_packets) return next_packet();
    // The packet the demuxer gives next becomes the first decoded one.
    auto packet = passthrough_->demuxer->next();
    if (!packet) return std::nullopt;
    start_decoding(*packet);
    return next_pcm();
  }
  if (want_packets && try_resume_packets()) return next_packet();
  return next_pcm();
}

std::optional<track_frame> track_reader::next_handing_back() {
  if (!can_resume_packets()) return next(false);
  // Decoding stands at a packet boundary with nothing pending: a 20 ms packet decodes to exactly
  // the next frame, and leaves decoding at the following boundary.
  auto frame = next_pcm();
  const auto packet = decoding_->last_packet();
  if (frame && pending_start_ == pending_.size() && decoding_->at_packet_boundary() &&
      opus_packet_samples(packet) == static_cast<std::int32_t>(frame_samples))
    frame->packet = packet;
  return frame;
}

std::optional<track_frame> track_reader::next_packet() {
  auto& state = *passthrough_;
  const auto packet = state.demuxer->next();
  if (!packet) return std::nullopt;
  if (state.stream_index != packet->stream_index) {
    const opus_stream_info& info = state.demuxer->info();
    state.stream_index = packet->stream_index;
    state.stream_passes = stream_can_pass_through(info);
    state.codec_delay = info.codec_delay;
  }
  if (!state.stream_passes || opus_packet_samples(packet->data) != static_cast<std::int32_t>(frame_samples)) {
    // Not the settings but the stream itself: it stays decoded, or it would flip back and forth.
    stream_disqualified_ = true;
    update_packets_qualify();
    start_decoding(*packet);
    return next_pcm();
  }
  auto& kept = state.recent[state.recent_next];
  kept.assign(packet->data.begin(), packet->data.end());
  state.recent_next = (state.recent_next + 1) % primer_packets;
  state.recent_count = std::min(state.recent_count + 1, primer_packets);
  position_ = std::max<std::int64_t>(0, packet->timestamp - state.codec_delay) + static_cast<std::int64_t>(frame_samples);
  return track_frame{std::span<const std::uint8_t>(kept), {}, {}};
}

void track_reader::start_decoding(const opus_packet& first) {
  passthrough_state state = std::move(*passthrough_);
  passthrough_.reset();
  auto decoding = std::make_unique<opus_decoding_source>(std::move(state.demuxer), name_);
  decoding_ = decoding.get();
  std::vector<std::vector<std::uint8_t>> sent;  // oldest first
  for (std::size_t i = 0; i < state.recent_count; ++i)
    sent.push_back(std::move(state.recent[(state.recent_next + primer_packets - state.recent_count + i) % primer_packets]));
  const std::vector<float> last_sent = decoding->continue_from(sent, first.data, first.timestamp);
  use_pcm(std::move(decoding));
  primer_fresh_ = !last_sent.empty();
  if (!primer_fresh_) return;
  // The primer is stereo like every PCM frame; the packets passed through had at most two channels.
  const std::size_t channels = decoding_->format().channels;
  primer_.resize(last_sent.size() / channels * 2);
  stereo_downmix(static_cast<std::uint16_t>(channels), name_).apply(last_sent, primer_);
}

bool track_reader::can_resume_packets() const {
  return decoding_ != nullptr && pending_start_ == pending_.size() && !resampler_ && !filters_ &&
         filter_fade_done_ >= filter_fade_samples && packets_qualify() &&
         decoding_->at_packet_boundary();
}

bool track_reader::try_resume_packets() {
  if (!can_resume_packets()) return false;
  auto demuxer = decoding_->release_demuxer();
  pcm_.reset();
  decoding_ = nullptr;
  format_ = {};
  downmix_.reset();
  pending_.clear();
  pending_start_ = 0;
  passthrough_.emplace(std::move(demuxer));
  return true;
}

void track_reader::convert(const pcm_block& block) {
  if (block.format != format_) {
    flush_resampler();
    format_ = block.format;
    downmix_.emplace(format_.channels, name_);
    if (format_.sample_rate == 48000)
      resampler_.reset();
    else
      resampler_ = std::make_unique<resampler>(format_.sample_rate, 48000, settings_.resampling, name_);
  }
  // Stereo needs no mixing: the decoder's own samples go on, not a copy of them.
  std::span<const float> stereo = block.samples;
  if (format_.channels != 2) {
    stereo_.resize(block.frames() * 2);
    downmix_->apply(block.samples, stereo_);
    stereo = stereo_;
  }
  deliver(resampler_ ? resampler_->process(stereo) : stereo);
}

void track_reader::deliver(std::span<const float> stereo48) {
  // Timescale may return more or fewer samples than it was given.
  const std::span<const float> filtered = filters_ ? filters_->process(stereo48) : stereo48;
  const std::size_t start = pending_.size();
  pending_.insert(pending_.end(), filtered.begin(), filtered.end());
  if (filter_fade_done_ >= filter_fade_samples) return;
  // A filter change: the same block through the old filters (or none) fades into the new output.
  const std::span<const float> old = fading_filters_ ? fading_filters_->process(stereo48) : stereo48;
  const std::size_t frames = std::min(old.size(), filtered.size()) / 2;
  for (std::size_t f = 0; f < frames && filter_fade_done_ < filter_fade_samples; ++f, ++filter_fade_done_) {
    const float t = static_cast<float>(filter_fade_done_) / static_cast<float>(filter_fade_samples);
    for (std::size_t i = 2 * f; i < 2 * f + 2; ++i) pending_[start + i] = old[i] + t * (filtered[i] - old[i]);
  }
  if (filter_fade_done_ >= filter_fade_samples) fading_filters_.reset();
}

void track_reader::flush_resampler() {
  if (!resampler_) return;
  deliver(resampler_->process({}, true));
  resampler_.reset();
}

void track_reader::set_filters(const filter_settings& filters) {
  validate(filters);
  settings_.filters = filters;
  fading_filters_ = std::move(filters_);
  filters_.reset();
  filter_fade_done_ = 0;
  update_packets_qualify();
  if (pcm_) use_filters();
  // A stream passing packets through checks its settings at every frame and switches by itself.
}

void track_reader::use_filters() {
  if (settings_.filters.any_enabled())
    filters_.emplace(settings_.filters);
  else
    filters_.reset();
}

std::size_t track_reader::frames_to_read() const {
  // Where blocks reach pending_ sample for sample (48 kHz, no filter), reading just what the frame
  // lacks leaves nothing over, so pending_ is one frame, filled from its start, and nothing is moved
  // down at the next frame (a player's buffers are out of cache by its next tick, so each byte kept
  // costs a miss). Elsewhere the block sizes stay as they were: a resampler's or a filter's output
  // may depend on them.
  const bool sample_for_sample = format_.sample_rate == 48000 && !filters_ && filter_fade_done_ >= filter_fade_samples;
  if (!sample_for_sample) return frame_samples;
  return frame_samples - (pending_.size() - pending_start_) / 2;
}

std::optional<track_frame> track_reader::next_pcm() {
  while (pending_.size() - pending_start_ < frame_values && !source_ended_) {
    // Compact before growing, so pending_ stays a few frames long whatever the block sizes.
    if (pending_start_ > 0) {
      pending_.erase(pending_.begin(), pending_.begin() + static_cast<std::ptrdiff_t>(pending_start_));
      pending_start_ = 0;
    }
    const pcm_block block = pcm_->read(frames_to_read());
    if (block.samples.empty()) {
      source_ended_ = true;
      flush_resampler();
      if (filters_) {
        const auto tail = filters_->flush();
        pending_.insert(pending_.end(), tail.begin(), tail.end());
      }
      break;
    }
    convert(block);
  }
  const std::size_t left = pending_.size() - pending_start_;
  if (left == 0) return std::nullopt;
  if (left < frame_values) pending_.resize(pending_start_ + frame_values, 0.0f);  // the last frame, padded with silence
  const auto pcm = std::span<const float>(pending_).subspan(pending_start_, frame_values);
  pending_start_ += frame_values;
  position_ += static_cast<std::int64_t>(frame_samples);
  track_frame frame{{}, pcm, primer_fresh_ ? std::span<const float>(primer_) : std::span<const float>()};
  primer_fresh_ = false;
  return frame;
}

}  // namespace spence::engine
