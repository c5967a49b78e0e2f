#include "engine/player/tick_shard.hpp"

#include <boost/asio/post.hpp>

#include <algorithm>
#include <stdexcept>
#include <thread>

namespace spence::engine {
namespace {

using steady = std::chrono::steady_clock;

// Moving averages weigh the newest sample by 1/4: a few ticks to follow a change, yet one slow
// tick (a page fault, a preemption) does not look like a trend.
constexpr double newest_weight = 0.25;

std::int64_t average_in(std::int64_t average, std::int64_t sample) {
  return average + static_cast<std::int64_t>(newest_weight * static_cast<double>(sample - average));
}

double share_of_period(std::chrono::nanoseconds d) {
  return static_cast<double>(d.count()) / static_cast<double>(frame_clock::period.count());
}

// Single writer: a relaxed load and store, no locked read-modify-write.
void add(std::atomic<std::uint64_t>& counter, std::uint64_t amount) {
  counter.store(counter.load(std::memory_order_relaxed) + amount, std::memory_order_relaxed);
}

}  // namespace

// Every handler posted to the strand enters through this guard: either it sees stop() and does
// nothing, or stop() sees it running and waits for it to leave (both sides use seq_cst).
class tick_shard::busy_guard {
 public:
  explicit busy_guard(tick_shard& shard) : shard_(shard) {
    shard_.busy_.store(true, std::memory_order_seq_cst);
    entered_ = !shard_.stopped_.load(std::memory_order_seq_cst);
    if (!entered_) shard_.busy_.store(false, std::memory_order_release);
  }
  ~busy_guard() {
    if (entered_) shard_.busy_.store(false, std::memory_order_release);
  }
  busy_guard(const busy_guard&) = delete;
  busy_guard& operator=(const busy_guard&) = delete;
  explicit operator bool() const { return entered_; }

 private:
  tick_shard& shard_;
  bool entered_;
};

std::size_t shard_member::shard_index() const noexcept {
  return owner_.load(std::memory_order_acquire)->index();
}

tick_shard::tick_shard(std::size_t index, const boost::asio::any_io_executor& executor,
                       std::shared_ptr<actors::clock> clock, frame_clock frames, tick_shard_options options,
                       rehome_fn rehome)
    : index_(index),
      strand_(boost::asio::make_strand(executor)),
      clock_(std::move(clock)),
      frames_(frames),
      options_(options),
      budget_(std::chrono::nanoseconds(
          static_cast<std::int64_t>(options.budget * static_cast<double>(frame_clock::period.count())))),
      rehome_(std::move(rehome)) {
  if (options_.max_catch_up == 0) throw std::invalid_argument("tick_shard: max_catch_up must be at least 1");
  if (!(options_.budget > 0.0 && options_.budget <= 1.0))
    throw std::invalid_argument("tick_shard: budget must be a share of the period in (0, 1]");
  if (options_.overrun_ticks == 0) throw std::invalid_argument("tick_shard: overrun_ticks must be at least 1");
  if (!clock_) throw std::invalid_argument("tick_shard: no clock");
}

void tick_shard::adopt(std::shared_ptr<shard_member> member) {
  // The caller owns the member's state here (a new member, or the strand of the shard it leaves).
  // A new member is assumed to cost what this shard's members cost on average.
  const std::size_t active = active_count_.load(std::memory_order_relaxed);
  const double estimate = member->started_ ? share_of_period(std::chrono::nanoseconds(member->cost_ns_))
                          : active > 0    ? load() / static_cast<double>(active)
                                          : 0.0;
  incoming_load_.fetch_add(estimate, std::memory_order_relaxed);
  incoming_.fetch_add(1, std::memory_order_relaxed);
  // Owner first, then the insertion: a command that reads the new owner runs on its strand, and if
  // it gets there before the insertion, it waits in early_commands_.
  member->owner_.store(this, std::memory_order_release);
  boost::asio::post(strand_, [self = shared_from_this(), member = std::move(member)]() mutable {
    self->insert(std::move(member));
  });
}

void tick_shard::dispatch(std::shared_ptr<shard_member> member, member_command command) {
  tick_shard* owner = member->owner_.load(std::memory_order_acquire);
  boost::asio::post(owner->strand_, [self = owner->shared_from_this(), member = std::move(member),
                                     command = std::move(command)]() mutable {
    self->run_command(std::move(member), std::move(command));
  });
}

void tick_shard::detach(std::shared_ptr<shard_member> member) {
  member->detach_requested_.store(true, std::memory_order_release);
  // The owner's tick loop skips the member from now on; this removes it even if it is parked.
  dispatch(std::move(member), [](tickable&) {});
}

void tick_shard::stop() {
  stopped_.store(true, std::memory_order_seq_cst);
  while (busy_.load(std::memory_order_seq_cst)) std::this_thread::yield();
  disarm();
}

double tick_shard::projected_load() const noexcept {
  return load() + incoming_load_.load(std::memory_order_relaxed);
}

std::size_t tick_shard::expected_active() const noexcept {
  return active_count_.load(std::memory_order_relaxed) + incoming_.load(std::memory_order_relaxed);
}

tick_shard_stats tick_shard::stats() const {
  return {member_count_.load(std::memory_order_relaxed),
          active_count_.load(std::memory_order_relaxed),
          load(),
          frames_produced_.load(std::memory_order_relaxed),
          missed_.load(std::memory_order_relaxed),
          migrations_.load(std::memory_order_relaxed),
          tick_durations_.summarize(),
          lateness_.summarize()};
}

void tick_shard::wake() {
  busy_guard guard(*this);
  if (!guard) return;
  armed_ = false;
  // Every frame whose deadline is at or before now is due.
  const std::uint64_t due_end = frames_.first_frame_due_at_or_after(clock_->now() + actors::clock::duration{1});
  const auto started = steady::now();
  auto mark = started;
  for (std::size_t i = 0; i < active_.size();) {
    shard_member& member = *active_[i];  // removal moves the last member into slot i
    if (member.detach_requested_.load(std::memory_order_acquire)) {
      remove(member)->target_.reset();
    } else if (!produce(member, due_end, mark)) {
      park(member);
    } else {
      ++i;
    }
  }
  const auto took = steady::now() - started;
  tick_durations_.record(took);
  load_.store(active_.empty() ? 0.0 : load() + newest_weight * (share_of_period(took) - load()),
              std::memory_order_relaxed);
  incoming_load_.store(0.0, std::memory_order_relaxed);
  if (took > budget_) {
    if (++overruns_ >= options_.overrun_ticks) {
      overruns_ = 0;
      shed_costliest();
    }
  } else {
    overruns_ = 0;
  }
  if (!active_.empty()) arm(frames_.deadline(due_end));
}

bool tick_shard::produce(shard_member& member, std::uint64_t due_end, steady::time_point& mark) {
  if (member.next_frame_ >= due_end) return true;  // ahead: came from a shard further in time
  const std::uint64_t behind = due_end - member.next_frame_;
  if (behind > options_.max_catch_up) {
    const std::uint64_t skipped = behind - options_.max_catch_up;
    member.next_frame_ += skipped;
    add(member.missed_, skipped);
    add(missed_, skipped);
  }
  std::uint64_t produced = 0;
  bool still_active = true;
  while (still_active && member.next_frame_ < due_end) {
    const std::uint64_t frame = member.next_frame_++;
    const auto deadline = frames_.deadline(frame);
    member.target_->tick(frame, deadline);
    lateness_.record(clock_->now() - deadline);
    const auto done = steady::now();
    member.cost_ns_ = average_in(member.cost_ns_, (done - mark).count());
    mark = done;
    ++produced;
    still_active = member.target_->active();
  }
  add(frames_produced_, produced);
  return still_active;
}

void tick_shard::insert(std::shared_ptr<shard_member> member) {
  busy_guard guard(*this);
  if (!guard) return;
  incoming_.fetch_sub(1, std::memory_order_relaxed);
  if (member->detach_requested_.load(std::memory_order_acquire)) {
    member->target_.reset();
    return;
  }
  if (!member->started_) {
    member->started_ = true;
    member->next_frame_ = frames_.first_frame_due_at_or_after(clock_->now());
  }
  member->resident_ = true;
  member->member_index_ = members_.size();
  members_.push_back(member);
  member_count_.store(members_.size(), std::memory_order_relaxed);
  for (auto& command : std::exchange(member->early_commands_, {})) command(*member->target_);
  refresh(*member);
}

void tick_shard::run_command(std::shared_ptr<shard_member> member, member_command command) {
  busy_guard guard(*this);
  if (!guard) return;
  if (member->owner_.load(std::memory_order_acquire) != this) {
    dispatch(std::move(member), std::move(command));  // it moved on before this ran: follow it
    return;
  }
  if (member->detach_requested_.load(std::memory_order_acquire)) {
    if (member->resident_) remove(*member)->target_.reset();
    return;
  }
  if (!member->resident_) {  // on its way here
    member->early_commands_.push_back(std::move(command));
    return;
  }
  command(*member->target_);
  refresh(*member);
}

// Parks a member that went inactive; unparks one that became active, at the first frame due at
// or after now (an idle member produces nothing, so nothing is missed while it was parked).
void tick_shard::refresh(shard_member& member) {
  const bool active = member.target_->active();
  const bool parked = member.active_index_ == shard_member::nowhere;
  if (active && parked) {
    member.next_frame_ = std::max(member.next_frame_, frames_.first_frame_due_at_or_after(clock_->now()));
    member.active_index_ = active_.size();
    active_.push_back(&member);
    active_count_.store(active_.size(), std::memory_order_relaxed);
    arm(frames_.deadline(member.next_frame_));
  } else if (!active && !parked) {
    park(member);
  }
}

void tick_shard::park(shard_member& member) {
  const std::size_t slot = member.active_index_;
  active_[slot] = active_.back();
  active_[slot]->active_index_ = slot;
  active_.pop_back();
  member.active_index_ = shard_member::nowhere;
  active_count_.store(active_.size(), std::memory_order_relaxed);
  if (active_.empty()) {
    disarm();
    load_.store(0.0, std::memory_order_relaxed);
  }
}

std::shared_ptr<shard_member> tick_shard::remove(shard_member& member) {
  if (member.active_index_ != shard_member::nowhere) park(member);
  const std::size_t slot = member.member_index_;
  auto removed = std::move(members_[slot]);
  if (slot + 1 < members_.size()) {
    members_[slot] = std::move(members_.back());
    members_[slot]->member_index_ = slot;
  }
  members_.pop_back();
  member_count_.store(members_.size(), std::memory_order_relaxed);
  removed->member_index_ = shard_member::nowhere;
  removed->resident_ = false;
  return removed;
}

void tick_shard::shed_costliest() {
  if (!rehome_ || active_.size() < 2) return;  // a lone member gains nothing from moving
  shard_member* costliest = *std::max_element(
      active_.begin(), active_.end(), [](const shard_member* a, const shard_member* b) { return a->cost_ns_ < b->cost_ns_; });
  auto target = rehome_(*this, share_of_period(std::chrono::nanoseconds(costliest->cost_ns_)));
  if (!target || target.get() == this) return;
  add(migrations_, 1);
  target->adopt(remove(*costliest));
}

void tick_shard::arm(actors::clock::time_point deadline) {
  if (armed_ && armed_deadline_ <= deadline) return;
  timer_.cancel();
  armed_ = true;
  armed_deadline_ = deadline;
  timer_ = clock_->schedule(deadline, strand_, [weak = weak_from_this()] {
    if (auto self = weak.lock()) self->wake();
  });
}

void tick_shard::disarm() {
  if (!armed_) return;
  timer_.cancel();
  armed_ = false;
}

}  // namespace spence::engine
