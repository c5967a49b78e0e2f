#include "actors/runtime.hpp"

#include "actors/error.hpp"

#include <boost/asio/signal_set.hpp>

#include <spdlog/spdlog.h>

#include <future>
#include <thread>

namespace spence::actors {

bool runtime_takes_external_messages(const runtime& rt) { return rt.takes_external_messages(); }
clock& runtime_clock(runtime& rt) { return rt.clock(); }

namespace {
unsigned default_threads(unsigned requested) {
  if (requested != 0) return requested;
  auto n = std::thread::hardware_concurrency();
  return n == 0 ? 1 : n;
}
}  // namespace

runtime::runtime(runtime_options options)
    : pool_(std::in_place, default_threads(options.threads)),
      executor_(pool_->get_executor()),
      clock_(std::make_shared<real_clock>()),
      clock_is_steady_(true),
      trace_(options.trace),
      replaying_(false) {}

runtime::runtime(boost::asio::any_io_executor ex, std::shared_ptr<actors::clock> clk, trace_sink* trace, bool replaying)
    : executor_(std::move(ex)),
      clock_(std::move(clk)),
      clock_is_steady_(dynamic_cast<real_clock*>(clock_.get()) != nullptr),
      trace_(trace),
      replaying_(replaying) {}

runtime::~runtime() {
  if (pool_) {
    if (!shut_down_.load()) shutdown(std::chrono::seconds(0));
    return;
  }
  for (const auto& c : live_cells()) c->abandon();
}

std::shared_ptr<actor_cell> runtime::find(const std::string& name) const {
  std::lock_guard lock(registry_mutex_);
  auto it = registry_.find(name);
  return it == registry_.end() ? nullptr : it->second.lock();
}

boost::system::result<void> runtime::register_cell(const std::shared_ptr<actor_cell>& cell) {
  std::lock_guard lock(registry_mutex_);
  auto& slot = registry_[cell->name()];
  // An actor that is being stopped (say, the child of a restarting parent) yields its name.
  if (auto existing = slot.lock(); existing && !existing->stop_requested() && !existing->has_terminated())
    return make_error_code(errc::duplicate_name);
  slot = cell;
  return {};
}

void runtime::unregister_cell(const actor_cell& cell) {
  std::lock_guard lock(registry_mutex_);
  auto it = registry_.find(cell.name());
  // A restarted parent may already have spawned a new actor under the same name.
  if (it != registry_.end() && (it->second.expired() || it->second.lock().get() == &cell)) registry_.erase(it);
}

std::vector<std::shared_ptr<actor_cell>> runtime::live_cells() const {
  std::lock_guard lock(registry_mutex_);
  std::vector<std::shared_ptr<actor_cell>> out;
  out.reserve(registry_.size());
  for (const auto& [name, weak] : registry_)
    if (auto c = weak.lock()) out.push_back(std::move(c));
  return out;
}

std::size_t runtime::actor_count() const {
  std::lock_guard lock(registry_mutex_);
  return registry_.size();
}

std::vector<actor_metrics> runtime::metrics() const {
  std::vector<actor_metrics> out;
  for (const auto& c : live_cells()) out.push_back(c->metrics());
  return out;
}

void runtime::add_effect_sink(std::string name, std::shared_ptr<effect_sink> sink) {
  std::lock_guard lock(sinks_mutex_);
  sinks_[std::move(name)] = std::move(sink);
}

effect_sink* runtime::find_effect_sink(std::string_view name) const {
  std::lock_guard lock(sinks_mutex_);
  auto it = sinks_.find(name);
  return it == sinks_.end() ? nullptr : it->second.get();
}

bool runtime::all_idle() const {
  for (const auto& c : live_cells())
    if (!c->idle()) return false;
  return true;
}

bool runtime::shutdown(clock::duration drain_deadline) {
  if (shut_down_.exchange(true)) return true;
  intake_open_.store(false, std::memory_order_release);
  const auto give_up = std::chrono::steady_clock::now() + drain_deadline;
  bool drained = all_idle();
  while (!drained && std::chrono::steady_clock::now() < give_up) {
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
    drained = all_idle();
  }
  if (!drained && drain_deadline > clock::duration::zero()) spdlog::warn("runtime: mailboxes not drained within the shutdown deadline; stopping anyway");
  for (const auto& c : live_cells()) c->request_stop("runtime shutdown");
  // The loops end after their current message; a loop stuck in a handler is abandoned at join.
  const auto stop_deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while (running_loops_.load(std::memory_order_acquire) > 0 && std::chrono::steady_clock::now() < stop_deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  if (pool_) {
    pool_->stop();
    pool_->join();
  }
  return drained;
}

bool runtime::run_until_signal(clock::duration drain_deadline) {
  boost::asio::signal_set signals(executor_, SIGINT, SIGTERM);
  std::promise<int> caught;
  signals.async_wait([&](boost::system::error_code ec, int sig) { caught.set_value(ec ? 0 : sig); });
  int sig = caught.get_future().get();
  spdlog::info("runtime: signal {} received, shutting down", sig);
  return shutdown(drain_deadline);
}

}  // namespace spence::actors
