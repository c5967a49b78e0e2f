#pragma once
// Small actors the runtime tests drive.

#include "actors/actor.hpp"

#include <boost/describe/class.hpp>

#include <atomic>
#include <mutex>
#include <stdexcept>
#include <string>
#include <variant>
#include <vector>

namespace spence::actors::testing {

struct add {
  int value = 0;
};
BOOST_DESCRIBE_STRUCT(add, (), (value))
struct get_total {
  reply_to<int> reply;
};
BOOST_DESCRIBE_STRUCT(get_total, (), (reply))
struct boom {
  std::string why;
};
BOOST_DESCRIBE_STRUCT(boom, (), (why))
struct forward_to {
  std::string target;
  int value = 0;
};
BOOST_DESCRIBE_STRUCT(forward_to, (), (target, value))
struct wake_me {
  std::int64_t after_ms = 0;
  int value = 0;
};
BOOST_DESCRIBE_STRUCT(wake_me, (), (after_ms, value))
struct stop_now {};
BOOST_DESCRIBE_STRUCT(stop_now, (), ())
struct emit_text {
  std::string sink;
  std::string text;
};
BOOST_DESCRIBE_STRUCT(emit_text, (), (sink, text))

// Sums what it is sent; throws on boom; forwards; sets timers; records what it saw.
class accumulator {
 public:
  static constexpr std::string_view kind = "test.accumulator";
  using protocol = std::variant<add, get_total, boom, forward_to, wake_me, stop_now, emit_text, terminated>;
  struct config {
    int start = 0;
    bool fail_construction = false;
    BOOST_DESCRIBE_CLASS(config, (), (start, fail_construction), (), ())
  };

  accumulator(const config& c, context<protocol>& ctx) : total_(c.start) {
    if (c.fail_construction) throw std::runtime_error("cannot construct");
    ++constructions();
  }
  void handle(const add& m, context<protocol>&) {
    total_ += m.value;
    std::lock_guard lock(observations_mutex());
    seen().push_back(m.value);
  }
  void handle(const get_total& m, context<protocol>& ctx) { ctx.reply(m.reply, total_); }
  void handle(const boom& m, context<protocol>&) { throw std::runtime_error(m.why); }
  void handle(const forward_to& m, context<protocol>& ctx) {
    ctx.send(ctx.owner().find_as<protocol>(m.target), add{m.value});
  }
  void handle(const wake_me& m, context<protocol>& ctx) {
    ctx.send_after(std::chrono::milliseconds(m.after_ms), add{m.value});
  }
  void handle(const stop_now&, context<protocol>& ctx) { ctx.stop(); }
  void handle(const emit_text& m, context<protocol>& ctx) { ctx.emit(m.sink, m.text); }
  void handle(const terminated& m, context<protocol>&) {
    std::lock_guard lock(observations_mutex());
    ended().push_back(m.actor + ": " + m.reason);
  }

  // Observations shared across incarnations and actors (tests run one scenario at a time; on the
  // thread pool, actors record concurrently, hence the mutex). Read them once the actors are idle.
  static std::mutex& observations_mutex() {
    static std::mutex m;
    return m;
  }
  static std::vector<int>& seen() {
    static std::vector<int> v;
    return v;
  }
  static std::vector<std::string>& ended() {
    static std::vector<std::string> v;
    return v;
  }
  static std::atomic<int>& constructions() {
    static std::atomic<int> n{0};
    return n;
  }
  static void reset_observations() {
    seen().clear();
    ended().clear();
    constructions() = 0;
  }

 private:
  int total_;
};

// Takes requests and never answers them.
class mute {
 public:
  static constexpr std::string_view kind = "test.mute";
  using protocol = std::variant<get_total>;
  struct config {
    BOOST_DESCRIBE_CLASS(config, (), (), (), ())
  };
  mute(const config&, context<protocol>&) {}
  void handle(const get_total&, context<protocol>&) {}
};

// A parent whose child is spawned with a chosen supervision strategy.
class parent_of_one {
 public:
  static constexpr std::string_view kind = "test.parent";
  using protocol = std::variant<terminated, add>;
  struct config {
    int strategy = 0;  // supervision::strategy
    BOOST_DESCRIBE_CLASS(config, (), (strategy), (), ())
  };
  parent_of_one(const config& c, context<protocol>& ctx) {
    spawn_options options;
    options.policy_on_failure.on_failure = static_cast<supervision::strategy>(c.strategy);
    options.policy_on_failure.max_restarts = 2;
    options.policy_on_failure.within = std::chrono::seconds(10);
    ctx.spawn<accumulator>("child", {}, options);
  }
  void handle(const terminated& m, context<protocol>&) {
    std::lock_guard lock(accumulator::observations_mutex());
    accumulator::ended().push_back("parent saw " + m.actor);
  }
  void handle(const add&, context<protocol>&) {}
};

}  // namespace spence::actors::testing
