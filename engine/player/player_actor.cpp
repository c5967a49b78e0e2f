#include "engine/player/player_actor.hpp"

#include "engine/player/voice_stream.hpp"

#include "engine/media_open.hpp"
#include "engine/player/media_log.hpp"
#include "engine/player/null_sink.hpp"

#include <boost/asio/post.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value_from.hpp>
#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <mutex>
#include <stdexcept>

namespace spence::engine {
namespace {

constexpr std::int64_t samples_per_ms = 48;

std::string file_name_part(std::string_view text) {
  std::string out;
  for (char c : text) out.push_back(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' ? c : '_');
  return out;
}

// What differs between a recorded report and the one replay produced, for the divergence message.
std::string difference(const frames_played& recorded, const frames_played& produced) {
  if (recorded.applied != produced.applied) return "the commands applied differ";
  if (recorded.events != produced.events)
    return fmt::format("the events differ ({} recorded, {} replayed)", recorded.events.size(), produced.events.size());
  if (recorded.digest != produced.digest)
    return fmt::format("the packets differ (digest {} recorded, {} replayed)", recorded.digest, produced.digest);
  if (recorded.position_ms != produced.position_ms)
    return fmt::format("the position differs ({} ms recorded, {} ms replayed)", recorded.position_ms, produced.position_ms);
  return "the frame numbering or the packet counts differ";
}

}  // namespace

// The readers opened on the opening executor, waiting for their track_opened message.
class player_actor::opened_readers {
 public:
  void put(std::uint64_t command, std::unique_ptr<track_reader> reader) {
    std::lock_guard lock(mutex_);
    readers_[command] = std::move(reader);
  }
  std::unique_ptr<track_reader> take(std::uint64_t command) {
    std::lock_guard lock(mutex_);
    auto node = readers_.extract(command);
    return node ? std::move(node.mapped()) : nullptr;
  }

 private:
  std::mutex mutex_;
  std::map<std::uint64_t, std::unique_ptr<track_reader>> readers_;
};

player_actor::player_actor(const config& c, actors::context<protocol>& ctx)
    : config_(c),
      services_(ctx.owner().services().find<player_services>()),
      replaying_(ctx.owner().replaying()),
      recording_(!replaying_ && ctx.owner().trace() != nullptr),
      // The spawn (or restart) time: the same on replay, and new for each incarnation.
      incarnation_(static_cast<std::uint64_t>(ctx.now().count())) {
  if (!services_) throw std::invalid_argument("a player needs player_services");
  std::shared_ptr<packet_sink> sink;
  if (!replaying_ && services_->make_sink) sink = services_->make_sink(voice_stream_of(config_.guild, config_.voice_stream));
  if (!sink) sink = std::make_shared<null_sink>();
  session_ = std::make_shared<player_session>(config_.settings, std::move(sink), recording_ || replaying_, incarnation_);
  if (replaying_) return;
  if (!services_->shards) throw std::invalid_argument("a live player needs tick shards");
  opened_ = std::make_shared<opened_readers>();
  std::weak_ptr<actors::typed_cell<protocol>> self = ctx.self().cell();
  session_->deliver_reports([self](frames_played report) {
    // At most one report is in flight (the session waits for its acknowledgement), so this
    // cannot fill the mailbox.
    if (auto cell = self.lock()) cell->box().force_push(protocol{std::move(report)});
  });
  member_ = services_->shards->attach(session_);
}

player_actor::~player_actor() {
  if (member_) services_->shards->detach(member_);
}

void player_actor::issue(std::uint64_t id, command_fn fn) {
  if (replaying_) {
    issued_.emplace(id, std::move(fn));
    return;
  }
  services_->shards->dispatch(member_, [session = session_, id, fn = std::move(fn)](tickable&) { session->apply(id, fn); });
}

void player_actor::handle(const play_track& m, actors::context<protocol>& ctx) {
  submit({next_command_++, {}, m}, ctx);
}

void player_actor::submit(intent next, actors::context<protocol>& ctx) {
  if (opening_) {
    // Behind the track being opened, so that commands keep their order.
    if (held_.size() >= max_held && !(destroy_command_ && next.id == *destroy_command_)) {
      spdlog::error("player {}: command refused: {} commands already wait for a track to open", ctx.name(),
                    held_.size());
      update_after_.erase(next.id);
      return;
    }
    held_.push_back(std::move(next));
    return;
  }
  if (next.play) start_opening(next.id, std::move(*next.play), ctx);
  else issue(next.id, std::move(next.fn));
}

track_settings player_actor::reader_settings(const play_track& play) const {
  track_settings settings;
  settings.start_sample = std::max<std::int64_t>(0, play.start_ms) * samples_per_ms;
  settings.passthrough = config_.settings.passthrough;
  settings.resampling = config_.settings.resampling;
  return settings;
}

void player_actor::start_opening(std::uint64_t id, play_track play, actors::context<protocol>& ctx) {
  opening_ = id;
  opening_play_ = std::move(play);
  if (replaying_) return;  // the recorded track_opened follows
  const auto& track = *opening_play_;
  std::string log;
  if (recording_ && !services_->media_logs.empty())
    log = fmt::format("{}-{}-{}.media", file_name_part(config_.guild), incarnation_, id);
  std::weak_ptr<actors::typed_cell<protocol>> self = ctx.self().cell();
  boost::asio::post(services_->opening, [services = services_, opened = opened_, self, incarnation = incarnation_, id,
                                         track = track.track, settings = reader_settings(track), log] {
    track_opened result{incarnation, id, log, {}};
    try {
      auto source = services->open(track);
      if (!log.empty()) source = std::make_unique<recording_source>(std::move(source), services->media_logs / log);
      opened->put(id, std::make_unique<track_reader>(open_media(std::move(source)), settings));
    } catch (const std::exception& e) {
      result.error = e.what();
    }
    // One per opening, and one opening at a time: bounded.
    if (auto cell = self.lock()) cell->box().force_push(protocol{std::move(result)});
  });
}

void player_actor::handle(const track_opened& m, actors::context<protocol>& ctx) {
  if (m.incarnation != incarnation_ || opening_ != m.command) return;  // from before a restart
  opening_.reset();
  auto play = std::move(*opening_play_);
  opening_play_.reset();
  if (!m.error.empty()) {
    frames_played report;
    report.events.push_back(to_notice(track_exception{play.track, m.error, exception_severity::common}));
    report.events.push_back(to_notice(track_ended{play.track, track_end_reason::load_failed}));
    report.position_ms = state_.position_ms;
    take_notices(report, ctx);
  } else {
    std::unique_ptr<track_reader> reader;
    if (replaying_) {
      if (m.media_log.empty() || services_->media_logs.empty())
        throw std::runtime_error("replay cannot open " + play.track + ": its media reads were not recorded");
      reader = std::make_unique<track_reader>(
          open_media(std::make_unique<replayed_source>(services_->media_logs / m.media_log)), reader_settings(play));
    } else {
      reader = opened_->take(m.command);
    }
    std::optional<std::int64_t> end;
    if (play.end_ms) end = std::max<std::int64_t>(0, *play.end_ms) * samples_per_ms;
    auto holder = std::make_shared<std::unique_ptr<track_reader>>(std::move(reader));
    issue(m.command, [holder, track = play.track, end, no_replace = play.no_replace](player_engine& e) {
      if (*holder) e.play(track_to_play{track, std::move(*holder), end}, no_replace);
    });
  }
  while (!opening_ && !held_.empty()) {
    auto next = std::move(held_.front());
    held_.pop_front();
    submit(std::move(next), ctx);
  }
}

void player_actor::handle(const stop_track&, actors::context<protocol>& ctx) {
  submit({next_command_++, [](player_engine& e) { e.stop(); }, {}}, ctx);
}

void player_actor::handle(const pause_player& m, actors::context<protocol>& ctx) {
  // The position stands still while paused: it is taken where the pause finds it, and runs on
  // from the resume.
  if (m.paused != state_.paused) {
    state_.position_ms = position_now(ctx.now());
    position_at_ = ctx.now();
  }
  state_.paused = m.paused;
  if (!m.paused) update_after_.insert(next_command_);
  submit({next_command_++, [paused = m.paused](player_engine& e) { e.set_paused(paused); }, {}}, ctx);
}

void player_actor::handle(const seek_track& m, actors::context<protocol>& ctx) {
  update_after_.insert(next_command_);
  if (!state_.track.empty()) {
    seek_command_ = next_command_;
    state_.position_ms = std::max<std::int64_t>(0, m.position_ms);
    position_at_ = ctx.now();
  }
  const auto sample = std::max<std::int64_t>(0, m.position_ms) * samples_per_ms;
  submit({next_command_++, [sample](player_engine& e) { e.seek(sample); }, {}}, ctx);
}

void player_actor::handle(const set_track_end& m, actors::context<protocol>& ctx) {
  std::optional<std::int64_t> sample;
  if (m.end_ms) sample = std::max<std::int64_t>(0, *m.end_ms) * samples_per_ms;
  submit({next_command_++, [sample](player_engine& e) { e.set_end(sample); }, {}}, ctx);
}

void player_actor::handle(const set_player_volume& m, actors::context<protocol>& ctx) {
  state_.volume_percent = std::clamp(m.percent, 0, player_engine::max_volume_percent);
  submit({next_command_++, [percent = state_.volume_percent](player_engine& e) { e.set_volume(percent); }, {}}, ctx);
}

void player_actor::handle(const set_player_filters& m, actors::context<protocol>& ctx) {
  try {
    validate(m.filters);
  } catch (const std::invalid_argument& e) {
    // The API validates filters before they get here; whatever slips through is refused, not fatal.
    spdlog::warn("player {}: filters refused: {}", ctx.name(), e.what());
    return;
  }
  update_after_.insert(next_command_);
  submit({next_command_++, [filters = m.filters](player_engine& e) { e.set_filters(filters); }, {}}, ctx);
}

void player_actor::handle(const destroy_player&, actors::context<protocol>& ctx) {
  if (destroy_command_) return;
  destroy_command_ = next_command_++;
  submit({*destroy_command_, [](player_engine& e) { e.clean_up(); }, {}}, ctx);
}

void player_actor::handle(const get_player_state& m, actors::context<protocol>& ctx) {
  auto state = state_;
  state.position_ms = position_now(ctx.now());
  ctx.reply(m.reply, std::move(state));
}

std::int64_t player_actor::position_now(actors::clock::time_point now) const {
  if (state_.paused || state_.track.empty() || now <= position_at_) return state_.position_ms;
  // Reports come every second; past two without one, the shard is behind and the position waits.
  const auto played = std::min<std::int64_t>(
      std::chrono::duration_cast<std::chrono::milliseconds>(now - position_at_).count(), 2000);
  return state_.position_ms + played;
}

void player_actor::handle(const frames_played& m, actors::context<protocol>& ctx) {
  if (m.incarnation != incarnation_) return;  // a late report of the session before a restart
  if (replaying_) {
    replay_segment(m);
  } else if (session_->acknowledge()) {
    services_->shards->dispatch(member_, [session = session_](tickable&) { session->flush(); });
  }
  for (const auto& a : m.applied)
    if (!a.error.empty()) spdlog::warn("player {}: command {} refused: {}", ctx.name(), a.command, a.error);
  take_notices(m, ctx);
  if (destroy_command_ &&
      std::any_of(m.applied.begin(), m.applied.end(), [&](const applied_command& a) { return a.command == *destroy_command_; })) {
    if (member_) services_->shards->detach(std::exchange(member_, nullptr));
    ctx.stop();
  }
}

void player_actor::replay_segment(const frames_played& recorded) {
  auto diverged = [&](const std::string& what) {
    throw std::runtime_error(fmt::format("replay diverged at tick {}: {}", recorded.first_tick, what));
  };
  if (session_->ticks() != recorded.first_tick)
    diverged(fmt::format("the replayed session stands at tick {}", session_->ticks()));
  std::size_t next_applied = 0;
  auto apply_due = [&](std::uint64_t tick) {
    for (; next_applied < recorded.applied.size() && recorded.applied[next_applied].at == tick; ++next_applied) {
      const auto id = recorded.applied[next_applied].command;
      auto it = issued_.find(id);
      if (it == issued_.end()) diverged(fmt::format("command {} was applied in the recording, not issued in replay", id));
      session_->apply(id, it->second);
      issued_.erase(it);
    }
  };
  auto frame = recorded.first_frame;
  std::size_t next_gap = 0;
  for (std::uint64_t i = 0; i < recorded.frames; ++i) {
    const auto tick = recorded.first_tick + i;
    apply_due(tick);
    if (next_gap < recorded.gaps.size() && recorded.gaps[next_gap].at == tick) frame = recorded.gaps[next_gap++].frame;
    session_->tick(frame, actors::clock::time_point{} + std::chrono::milliseconds(20) * frame);
    ++frame;
  }
  apply_due(recorded.first_tick + recorded.frames);
  if (next_applied != recorded.applied.size()) diverged("a command was recorded at a tick this report does not cover");
  auto produced = session_->take_report();
  if (produced != recorded) diverged(difference(recorded, produced));
}

void player_actor::take_notices(const frames_played& report, actors::context<protocol>& ctx) {
  if (seek_command_ && std::any_of(report.applied.begin(), report.applied.end(),
                                   [&](const applied_command& a) { return a.command == *seek_command_; }))
    seek_command_.reset();
  if (!seek_command_) {  // a report from before a seek still pending would move the position back
    state_.position_ms = report.position_ms;
    position_at_ = ctx.now();
  }
  state_.frames += report.frames;
  state_.sent += report.sent;
  state_.nulled += report.nulled;
  if (report.last_minute) state_.last_minute = report.last_minute;
  bool update_now = false;
  for (const auto& a : report.applied) update_now = update_after_.erase(a.command) > 0 || update_now;
  for (const auto& notice : report.events) {
    if (notice.type == "TrackStartEvent") state_.track = notice.track;
    if (notice.type == "TrackEndEvent" && notice.track == state_.track) state_.track.clear();
    update_now = update_now || notice.type == "TrackStartEvent" || notice.type == "TrackStuckEvent";
    emit(notice, ctx);
  }
  // Counted in frames played, not in time: the same on replay, and a paused player (which plays
  // none) has no new position to tell.
  const bool interval_over = (state_.frames - frames_at_update_) * 20 >= config_.update_interval_ms;
  if (!state_.track.empty() && (update_now || interval_over)) {
    frames_at_update_ = state_.frames;
    player_notice update;
    update.type = "PlayerUpdate";
    update.track = state_.track;
    update.position_ms = state_.position_ms;
    emit(update, ctx);
  }
}

void player_actor::emit(const player_notice& notice, actors::context<protocol>& ctx) {
  if (config_.events_sink.empty()) return;
  auto leaving = notice;
  leaving.guild_id = config_.guild;
  leaving.voice_stream = voice_stream_of(config_.guild, config_.voice_stream);
  ctx.emit(config_.events_sink, boost::json::serialize(boost::json::value_from(leaving)) + "\n");
}

void register_player_kind(actors::actor_registry& registry) { registry.add<player_actor>(); }

}  // namespace spence::engine
