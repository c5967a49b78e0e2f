#include "app/demo_pipeline.hpp"

#include <fmt/format.h>

#include <stdexcept>

namespace spence::app::demo {

void writer::handle(const scaled& m, actors::context<protocol>& ctx) {
  ++lines_;
  ctx.emit(output_sink, fmt::format("t={} n={} value={} sum={}\n", ctx.now().count(), m.n, m.value, m.running_sum));
}

void writer::handle(const end_of_stream& m, actors::context<protocol>& ctx) {
  ctx.emit(output_sink, fmt::format("end after {} samples, {} lines\n", m.samples, lines_));
  ctx.stop();
}

void writer::handle(const lines_written& m, actors::context<protocol>& ctx) { ctx.reply(m.reply, lines_); }

scaler::scaler(const config& c, actors::context<protocol>& ctx)
    : config_(c), next_(ctx.owner().find_as<writer::protocol>(c.next)) {
  if (!next_) throw std::runtime_error("scaler: no writer named " + c.next);
}

void scaler::handle(const sample& m, actors::context<protocol>& ctx) {
  if (config_.poison_every != 0 && m.n % config_.poison_every == 0)
    throw std::runtime_error(fmt::format("poisoned sample {}", m.n));
  running_sum_ += m.value;
  ctx.send(next_, scaled{m.n, m.value * config_.gain, running_sum_});
}

void scaler::handle(const end_of_stream& m, actors::context<protocol>& ctx) { ctx.send(next_, m); }

metronome::metronome(const config& c, actors::context<protocol>& ctx)
    : config_(c), next_(ctx.owner().find_as<scaler::protocol>(c.next)) {
  if (!next_) throw std::runtime_error("metronome: no scaler named " + c.next);
  ctx.send_after(std::chrono::milliseconds(config_.interval_ms), tick{1});
}

void metronome::handle(const tick& m, actors::context<protocol>& ctx) {
  // A deterministic but irregular signal.
  auto value = static_cast<std::int64_t>((m.n * 7919) % 1000) - 500;
  ctx.send(next_, sample{m.n, value});
  if (m.n < config_.ticks) {
    ctx.send_after(std::chrono::milliseconds(config_.interval_ms), tick{m.n + 1});
  } else {
    ctx.send(next_, end_of_stream{m.n});
    ctx.stop();
  }
}

pipeline::pipeline(const config& c, actors::context<protocol>& ctx) {
  auto w = ctx.spawn<writer>("writer");
  actors::spawn_options scaler_options;
  scaler_options.policy_on_failure = {actors::supervision::strategy::restart, 1000, std::chrono::seconds(1)};
  auto s = ctx.spawn<scaler>("scaler", {3, c.poison_every, w.name()}, scaler_options);
  ctx.spawn<metronome>("metronome", {c.ticks, c.interval_ms, s.name()});
}

void pipeline::handle(const actors::terminated& m, actors::context<protocol>& ctx) {
  if (m.actor == ctx.name() + "/writer") ctx.stop();
}

void register_kinds(actors::actor_registry& registry) {
  registry.add<pipeline>();
  registry.add<metronome>();
  registry.add<scaler>();
  registry.add<writer>();
}

}  // namespace spence::app::demo
