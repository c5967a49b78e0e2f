#pragma once
// A player engine as its shard drives it, and as replay drives it again. The session numbers the
// engine's ticks, applies commands between them and notes before which tick each ran, gathers the
// engine's events and, when a trace is recorded, digests every packet it sends. It hands all of
// that over as `frames_played` reports: live, to the player actor after a second of frames, an
// event, the first frame after a command, or when the engine goes idle; on replay, when the actor asks (at the recorded boundaries),
// so the actor can compare the report with the recorded one.
//
// Live reports are delivered one at a time: the next waits until the actor acknowledges the
// previous one, so a slow actor gets fewer, longer reports, never an unbounded queue of them and
// never a lost event.
//
// Owned by the strand of the shard that ticks it (or the replaying actor); acknowledge() and
// wants_flush() may be called from anywhere.

#include "actors/digest.hpp"
#include "engine/player/player_engine.hpp"
#include "engine/player/player_protocol.hpp"

#include <atomic>
#include <functional>
#include <memory>

namespace spence::engine {

class player_session final : public tickable {
 public:
  // A live session reports after this many frames even if nothing else happened.
  static constexpr std::uint64_t report_every_frames = 50;
  using deliver_fn = std::function<void(frames_played)>;

  // `digest`: hash every packet (when a trace is recorded or replayed). Reports carry
  // `incarnation`, so a restarted player can tell its predecessor's late reports from its own.
  player_session(const player_settings& settings, std::shared_ptr<packet_sink> sink, bool digest,
                 std::uint64_t incarnation = 0);
  ~player_session() override;

  // Live: where reports go; set before the first tick. Without it, reports wait for take_report().
  void deliver_reports(deliver_fn deliver) { deliver_ = std::move(deliver); }
  // Any thread: the last delivered report was handled. Returns whether more waits to be delivered
  // (then call flush() on the session's strand).
  bool acknowledge();
  // Delivers what is waiting, if the previous report was acknowledged.
  void flush();

  // Runs `command` on the engine before the next tick, noted as command `id`. An exception from
  // the engine is noted with it, not thrown.
  void apply(std::uint64_t id, const std::function<void(player_engine&)>& command);

  void tick(std::uint64_t frame, actors::clock::time_point deadline) override;
  bool active() const override { return engine_.active(); }
  // The engine's lines, and this session's report, which every tick writes.
  void prefetch() const noexcept override {
    engine_.prefetch();
    __builtin_prefetch(&report_);
  }

  // The report of everything since the previous one; starts the next.
  frames_played take_report();
  std::uint64_t ticks() const noexcept { return ticks_; }
  const player_engine& engine() const noexcept { return engine_; }

 private:
  class digesting_sink;

  bool has_news() const;
  void deliver_if(bool due);

  std::shared_ptr<digesting_sink> digest_;
  player_engine engine_;
  deliver_fn deliver_;
  const std::uint64_t incarnation_;
  std::uint64_t ticks_ = 0;
  std::optional<std::uint64_t> next_frame_;
  frames_played report_;
  std::uint64_t sent_before_ = 0;    // the engine's counts at the previous report
  std::uint64_t nulled_before_ = 0;
  // A report is with the actor, not yet acknowledged.
  std::atomic<bool> in_flight_{false};
  std::atomic<bool> waiting_{false};  // news held back while one was in flight
};

}  // namespace spence::engine
