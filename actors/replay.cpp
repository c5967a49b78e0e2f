#include "actors/replay.hpp"

#include "actors/deterministic_executor.hpp"

#include <algorithm>
#include <fmt/format.h>

#include <unordered_map>

namespace spence::actors {
namespace {

struct outcome {
  std::string outputs;
  std::string failure;
  bool operator==(const outcome&) const = default;
  std::string describe() const {
    if (outputs.empty() && failure.empty()) return "nothing";
    std::string s = outputs.empty() ? "no outputs" : "outputs " + outputs;
    if (!failure.empty()) s += ", failed: " + failure;
    return s;
  }
};

// Stands in for the trace during replay: hands the actors the recorded sequence number and
// collects the checkpoints they produce.
class checkpoint_collector final : public trace_sink {
 public:
  void on_spawn(clock::time_point, const std::string&, const std::string&, const boost::json::value&) override {}
  std::uint64_t on_message(clock::time_point, const std::string&, const std::string&, std::string_view) override {
    return current_seq;
  }
  void on_checkpoint(std::uint64_t seq, const std::string&, std::string_view outputs, std::string_view failure) override {
    actual[seq] = outcome{std::string(outputs), std::string(failure)};
  }
  void on_stop(clock::time_point, const std::string&) override {}

  std::uint64_t current_seq = 0;
  std::unordered_map<std::uint64_t, outcome> actual;
};

// A message delivered in replay whose recorded checkpoint may still follow. An actor writes a
// message's checkpoint before it takes its next message, so at most one is pending per actor.
struct pending_check {
  std::uint64_t seq = 0;
  std::string type;
  outcome actual;
};

class replayer {
 public:
  explicit replayer(const actor_registry& registry)
      : registry_(registry), rt_(exec_.executor(), exec_.clock(), &collector_, /*replaying=*/true) {
    rt_.services() = registry.services();
  }

  boost::system::result<replay_report, trace_error> run(trace_reader& reader) {
    for (;;) {
      auto next = reader.next();
      if (!next) return next.error();
      if (!*next) break;
      const trace_record& r = **next;
      boost::system::result<void, trace_error> step;
      switch (r.kind) {
        case trace_record::type::header:
          for (const auto& a : r.actors) {
            step = spawn(reader, a.name, a.kind, a.config);
            if (!step) return step.error();
          }
          break;
        case trace_record::type::spawn:
          exec_.clock()->set(r.t);
          step = spawn(reader, r.actor, r.name, r.payload);
          break;
        case trace_record::type::message:
          step = deliver(reader, r);
          break;
        case trace_record::type::checkpoint:
          step = check(reader, r);
          break;
        case trace_record::type::stop:
          settle(r.actor, std::nullopt);
          exec_.clock()->set(r.t);
          stop_recorded(r.actor);
          break;
        case trace_record::type::next:
        case trace_record::type::end:
          break;
      }
      if (!step) return step.error();
    }
    report_.complete = reader.complete();
    for (auto& [actor, p] : pending_) {
      if (report_.complete) compare(actor, p, outcome{});
      else ++report_.unchecked;
    }
    pending_.clear();
    return report_;
  }

 private:
  boost::system::result<void, trace_error> spawn(const trace_reader& reader, const std::string& name,
                                                 const std::string& kind, const boost::json::value& config) {
    if (rt_.find(name)) return {};  // already rebuilt by its parent's code
    const auto* ops = registry_.find(kind);
    if (ops == nullptr) return reader.fail(errc::unknown_actor_kind, fmt::format("actor {} has kind '{}'", name, kind));
    if (auto r = ops->spawn(rt_, name, config); !r)
      return reader.fail(r.error(), fmt::format("cannot rebuild actor {} of kind {}", name, kind));
    exec_.run_until_idle();
    return {};
  }

  boost::system::result<void, trace_error> deliver(const trace_reader& reader, const trace_record& r) {
    settle(r.actor, std::nullopt);
    ++report_.messages;
    exec_.clock()->set(r.t);
    auto cell = rt_.find(r.actor);
    if (!cell) {
      note({r.seq, r.actor, r.name, "delivered", "the actor is not running in the replay"});
      not_delivered_[r.actor] = r.seq;  // its recorded checkpoint, if any, has nothing to compare with
      return {};
    }
    if (r.name == message_name<child_failure>()) {
      auto reason = boost::json::try_value_to<child_failure>(r.payload);
      if (!reason) return reader.fail(errc::trace_malformed, "child failure without a reason");
      cell->fail_from_child(reason->reason);
    } else {
      const auto* ops = registry_.find(cell->kind());
      if (ops == nullptr)
        return reader.fail(errc::unknown_actor_kind, fmt::format("actor {} has kind '{}'", r.actor, cell->kind()));
      if (auto d = ops->deliver(*cell, r.name, r.payload); !d)
        return reader.fail(d.error(), fmt::format("message {} for actor {} ({})", r.name, r.actor, cell->kind()));
    }
    collector_.current_seq = r.seq;
    exec_.run_until_idle();
    pending_check p{r.seq, r.name, {}};
    if (auto it = collector_.actual.find(r.seq); it != collector_.actual.end()) {
      p.actual = std::move(it->second);
      collector_.actual.erase(it);
    }
    pending_[r.actor] = std::move(p);
    return {};
  }

  // A parent's stop can be recorded before its children's last messages: its children were still
  // handling what their mailboxes held when it ended. Stopping it at once here would stop them
  // before those messages, so a parent waits until its children's own stop records have stopped
  // them.
  void stop_recorded(const std::string& name) {
    stops_waiting_.push_back(name);
    for (bool stopped_one = true; stopped_one;) {
      stopped_one = false;
      for (auto it = stops_waiting_.begin(); it != stops_waiting_.end(); ++it) {
        auto cell = rt_.find(*it);
        const auto children = cell ? cell->children() : std::vector<std::shared_ptr<actor_cell>>{};
        if (std::ranges::any_of(children, [](const auto& child) { return !child->has_terminated(); })) continue;
        stops_waiting_.erase(it);
        if (cell) {
          cell->request_stop("recorded stop");
          exec_.run_until_idle();
        }
        stopped_one = true;
        break;
      }
    }
  }

  boost::system::result<void, trace_error> check(const trace_reader& reader, const trace_record& r) {
    if (auto skipped = not_delivered_.find(r.actor); skipped != not_delivered_.end() && skipped->second == r.seq) {
      not_delivered_.erase(skipped);
      return {};
    }
    auto it = pending_.find(r.actor);
    if (it == pending_.end() || it->second.seq != r.seq)
      return reader.fail(errc::trace_malformed, fmt::format("checkpoint {} does not follow its message", r.seq));
    ++report_.checkpoints;
    settle(r.actor, outcome{r.outputs, r.failure});
    return {};
  }

  // Compares the actor's pending message with what was recorded (nullopt: no checkpoint followed).
  void settle(const std::string& actor, std::optional<outcome> recorded) {
    auto it = pending_.find(actor);
    if (it == pending_.end()) return;
    compare(actor, it->second, recorded.value_or(outcome{}));
    pending_.erase(it);
  }

  void compare(const std::string& actor, const pending_check& p, const outcome& recorded) {
    if (p.actual == recorded) return;
    note({p.seq, actor, p.type, recorded.describe(), p.actual.describe()});
  }

  void note(divergence d) {
    if (!report_.first_divergence || d.seq < report_.first_divergence->seq) report_.first_divergence = std::move(d);
  }

  const actor_registry& registry_;
  deterministic_executor exec_;
  checkpoint_collector collector_;
  runtime rt_;
  std::unordered_map<std::string, pending_check> pending_;
  std::unordered_map<std::string, std::uint64_t> not_delivered_;  // last message each missing actor missed
  std::vector<std::string> stops_waiting_;  // recorded stops of actors whose children still run
  replay_report report_;
};

}  // namespace

boost::system::result<replay_report, trace_error> replay_trace(const std::filesystem::path& first_segment,
                                                               const actor_registry& registry) {
  auto reader = trace_reader::open(first_segment);
  if (!reader) return reader.error();
  replayer r(registry);
  return r.run(*reader);
}

}  // namespace spence::actors
