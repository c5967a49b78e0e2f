#include "engine/player/player_session.hpp"

#include <array>

namespace spence::engine {

// Passes packets on to the player's sink, hashing each (length first, so packet boundaries count)
// and marking the end of every tick, so a frame nulled, added or moved changes the digest too.
class player_session::digesting_sink final : public packet_sink {
 public:
  explicit digesting_sink(std::shared_ptr<packet_sink> inner) : inner_(std::move(inner)) {}

  void send(const outgoing_frame& frame) override {
    add_length(static_cast<std::uint32_t>(frame.opus.size()));
    hash_.add(std::as_bytes(frame.opus));
    inner_->send(frame);
  }
  void flush() override { inner_->flush(); }
  sink_counters counters() const override { return inner_->counters(); }

  void end_tick() { add_length(tick_marker); }
  std::string finish() { return hash_.finish_hex(); }

 private:
  static constexpr std::uint32_t tick_marker = 0xffffffffu;  // no packet is that long

  void add_length(std::uint32_t n) {
    const std::array<std::uint8_t, 4> b = {static_cast<std::uint8_t>(n >> 24), static_cast<std::uint8_t>(n >> 16),
                                           static_cast<std::uint8_t>(n >> 8), static_cast<std::uint8_t>(n)};
    hash_.add(std::as_bytes(std::span(b)));
  }

  std::shared_ptr<packet_sink> inner_;
  actors::sha256 hash_;
};

player_session::player_session(const player_settings& settings, std::shared_ptr<packet_sink> sink, bool digest,
                               std::uint64_t incarnation)
    : digest_(digest ? std::make_shared<digesting_sink>(sink) : nullptr),
      engine_(settings, digest_ ? std::shared_ptr<packet_sink>(digest_) : std::move(sink),
              [this](player_event event) { report_.events.push_back(to_notice(event)); }),
      incarnation_(incarnation) {
  report_.incarnation = incarnation_;
}

player_session::~player_session() = default;

bool player_session::acknowledge() {
  in_flight_.store(false);
  return waiting_.load();
}

void player_session::flush() { deliver_if(true); }

void player_session::apply(std::uint64_t id, const std::function<void(player_engine&)>& command) {
  applied_command noted{id, ticks_, {}};
  try {
    command(engine_);
  } catch (const std::exception& e) {
    noted.error = e.what();
  }
  report_.applied.push_back(std::move(noted));
  // A command that leaves the engine idle gets no tick to report it.
  deliver_if(!report_.events.empty() || !engine_.active());
}

void player_session::tick(std::uint64_t frame, actors::clock::time_point deadline) {
  if (report_.frames == 0) {
    report_.first_frame = frame;
  } else if (next_frame_ && frame != *next_frame_) {
    report_.gaps.push_back(frame_gap{ticks_, frame});
  }
  next_frame_ = frame + 1;
  engine_.tick(frame, deadline);
  if (digest_) digest_->end_tick();
  ++ticks_;
  ++report_.frames;
  // A command is reported with the first frame after it, so its effect (a seek's position) is seen
  // at once.
  deliver_if(!report_.events.empty() || !report_.applied.empty() || report_.frames >= report_every_frames ||
             !engine_.active());
}

frames_played player_session::take_report() {
  frames_played out = std::move(report_);
  const auto now = engine_.snapshot();
  out.position_ms = now.position_ms;
  if (now.frames.usable) out.last_minute = now.frames.counts;
  out.sent = now.packets_sent - sent_before_;
  out.nulled = now.frames_nulled - nulled_before_;
  sent_before_ = now.packets_sent;
  nulled_before_ = now.frames_nulled;
  if (digest_) out.digest = digest_->finish();
  report_ = frames_played{};
  report_.incarnation = incarnation_;
  report_.first_tick = ticks_;
  report_.first_frame = next_frame_.value_or(0);
  return out;
}

bool player_session::has_news() const {
  return report_.frames > 0 || !report_.applied.empty() || !report_.events.empty();
}

void player_session::deliver_if(bool due) {
  if (!deliver_ || !due || !has_news()) return;
  for (;;) {
    if (!in_flight_.exchange(true)) {
      waiting_.store(false);
      deliver_(take_report());
      return;
    }
    waiting_.store(true);
    // acknowledge() clears in_flight_ and then reads waiting_: either it sees this news waiting, or
    // this sees the acknowledgement and delivers now (both sequentially consistent).
    if (in_flight_.load()) return;
  }
}

}  // namespace spence::engine
