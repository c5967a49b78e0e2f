#pragma once
// A small pipeline that shows the runtime end to end and is recorded and replayed by tests:
//   /demo (pipeline) supervises
//     /demo/metronome  -- a 20 ms timer; each tick becomes a sample
//     /demo/scaler     -- scales samples, keeps a running sum, and throws on "poisoned" samples,
//                         so its supervisor restarts it (the sum starts again from zero)
//     /demo/writer     -- writes one line per sample to the effect sink "demo.out"
// The pipeline ends when the writer has seen the end of the stream.

#include "actors/actor.hpp"
#include "actors/actor_registry.hpp"

#include <boost/describe/class.hpp>

#include <cstdint>
#include <string>
#include <string_view>
#include <variant>

namespace spence::app::demo {

struct tick {
  std::uint64_t n = 0;
};
BOOST_DESCRIBE_STRUCT(tick, (), (n))

struct sample {
  std::uint64_t n = 0;
  std::int64_t value = 0;
};
BOOST_DESCRIBE_STRUCT(sample, (), (n, value))

struct scaled {
  std::uint64_t n = 0;
  std::int64_t value = 0;
  std::int64_t running_sum = 0;
};
BOOST_DESCRIBE_STRUCT(scaled, (), (n, value, running_sum))

struct end_of_stream {
  std::uint64_t samples = 0;
};
BOOST_DESCRIBE_STRUCT(end_of_stream, (), (samples))

struct lines_written {
  actors::reply_to<std::uint64_t> reply;
};
BOOST_DESCRIBE_STRUCT(lines_written, (), (reply))

inline constexpr std::string_view output_sink = "demo.out";

class writer {
 public:
  static constexpr std::string_view kind = "demo.writer";
  using protocol = std::variant<scaled, end_of_stream, lines_written>;
  struct config {
    BOOST_DESCRIBE_CLASS(config, (), (), (), ())
  };

  writer(const config&, actors::context<protocol>&) {}
  void handle(const scaled& m, actors::context<protocol>& ctx);
  void handle(const end_of_stream& m, actors::context<protocol>& ctx);
  void handle(const lines_written& m, actors::context<protocol>& ctx);

 private:
  std::uint64_t lines_ = 0;
};

class scaler {
 public:
  static constexpr std::string_view kind = "demo.scaler";
  using protocol = std::variant<sample, end_of_stream>;
  struct config {
    std::int64_t gain = 3;
    std::uint64_t poison_every = 0;  // every n-th sample throws; 0: never
    std::string next;
      BOOST_DESCRIBE_CLASS(config, (), (gain, poison_every, next), (), ())
  };

  scaler(const config& c, actors::context<protocol>& ctx);
  void handle(const sample& m, actors::context<protocol>& ctx);
  void handle(const end_of_stream& m, actors::context<protocol>& ctx);

 private:
  config config_;
  actors::actor_ref<writer::protocol> next_;
  std::int64_t running_sum_ = 0;
};

class metronome {
 public:
  static constexpr std::string_view kind = "demo.metronome";
  using protocol = std::variant<tick>;
  struct config {
    std::uint64_t ticks = 100;
    std::uint64_t interval_ms = 20;
    std::string next;
      BOOST_DESCRIBE_CLASS(config, (), (ticks, interval_ms, next), (), ())
  };

  metronome(const config& c, actors::context<protocol>& ctx);
  void handle(const tick& m, actors::context<protocol>& ctx);

 private:
  config config_;
  actors::actor_ref<scaler::protocol> next_;
};

class pipeline {
 public:
  static constexpr std::string_view kind = "demo.pipeline";
  using protocol = std::variant<actors::terminated>;
  struct config {
    std::uint64_t ticks = 100;
    std::uint64_t interval_ms = 20;
    std::uint64_t poison_every = 25;
      BOOST_DESCRIBE_CLASS(config, (), (ticks, interval_ms, poison_every), (), ())
  };

  pipeline(const config& c, actors::context<protocol>& ctx);
  void handle(const actors::terminated& m, actors::context<protocol>& ctx);
};

// Registers the demo's actor kinds for replay.
void register_kinds(actors::actor_registry& registry);

}  // namespace spence::app::demo
