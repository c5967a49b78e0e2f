#include "engine/player/tick_shard.hpp"

#include <boost/asio/post.hpp>

#include <algorithm>
#include <optional>
#include <stdexcept>
#include <thread>
#include <tuple>

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
      slot_length_(frame_clock::period / static_cast<std::int64_t>(std::max<std::size_t>(options.phase_slots, 1))),
      rehome_(std::move(rehome)) {
  if (options_.max_catch_up == 0) throw std::invalid_argument("tick_shard: max_catch_up must be at least 1");
  if (!(options_.budget > 0.0 && options_.budget <= 1.0))
    throw std::invalid_argument("tick_shard: budget must be a share of the period in (0, 1]");
  if (options_.overrun_ticks == 0) throw std::invalid_argument("tick_shard: overrun_ticks must be at least 1");
  if (options_.phase_slots == 0 || options_.phase_slots > 1000)
    throw std::invalid_argument("tick_shard: phase_slots must be from 1 to 1000");
  if (!clock_) throw std::invalid_argument("tick_shard: no clock");
  slots_.resize(options_.phase_slots);
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

std::size_t tick_shard::expected_members() const noexcept {
  return member_count_.load(std::memory_order_relaxed) + incoming_.load(std::memory_order_relaxed);
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
  // The timer that woke this has fired: nothing is left to cancel, and cancelling it anyway would
  // post a handler to the strand at every wake for nothing.
  armed_ = false;
  timer_ = {};
  const auto now = clock_->now();
  auto mark = steady::now();
  for (std::size_t index = 0; index < slots_.size(); ++index) {
    phase_slot& slot = slots_[index];
    if (slot.active.empty() || due_time(index) > now) continue;
    const auto phase = phase_of(index);
    // Every frame whose deadline at this phase is at or before now is due.
    const std::uint64_t due_end = frames_.first_frame_due_at_or_after(now - phase + actors::clock::duration{1});
    const auto started = mark;
    tick_slot(slot, phase, due_end, mark);
    mark = steady::now();
    const auto took = mark - started;
    slot.busy_ns = took.count();
    tick_durations_.record(took);
  }
  account_period(now);
  arm_next();
}

// A tick mostly waits on cache misses: a member's state, its player, the player's reader. Loading
// them in stages a few members ahead lets those misses overlap: the member's state and the
// player's first four lines two steps ahead, then the player's own prefetch() (which reads only
// those lines) one step ahead. A removal shifts the order by one; a hint then goes to waste.
void tick_shard::prefetch_ahead(const phase_slot& slot, std::size_t i) noexcept {
  constexpr std::size_t step = 4;
  const auto& active = slot.active;
  if (i + 2 * step < active.size()) {
    const auto* member = reinterpret_cast<const char*>(active[i + 2 * step].member);
    const auto* target = reinterpret_cast<const char*>(active[i + 2 * step].target);
    __builtin_prefetch(member);
    __builtin_prefetch(member + 64);
    for (std::size_t line = 0; line < 4; ++line) __builtin_prefetch(target + 64 * line);
  }
  if (i + step < active.size()) active[i + step].target->prefetch();
}

void tick_shard::tick_slot(phase_slot& slot, actors::clock::duration phase, std::uint64_t due_end,
                           steady::time_point& mark) {
  for (std::size_t i = 0; i < slot.active.size();) {
    prefetch_ahead(slot, i);
    shard_member& member = *slot.active[i].member;  // removal moves the slot's last member into place i
    if (member.detach_requested_.load(std::memory_order_acquire)) {
      remove(member)->target_.reset();
    } else if (!produce(member, slot, phase, due_end, mark)) {
      park(member);
    } else {
      ++i;
    }
  }
  // Members that joined ahead of the slot (from a shard further in time) are skipped until then.
  if (!slot.active.empty()) slot.next_frame = due_end;
}

bool tick_shard::produce(shard_member& member, phase_slot& slot, actors::clock::duration phase,
                         std::uint64_t due_end, steady::time_point& mark) {
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
    const auto deadline = frames_.deadline(frame) + phase;
    member.target_->tick(frame, deadline);
    lateness_.record(clock_->now() - deadline);
    const auto done = steady::now();
    const std::int64_t cost = average_in(member.cost_ns_, (done - mark).count());
    slot.cost_ns += cost - member.cost_ns_;
    member.cost_ns_ = cost;
    mark = done;
    ++produced;
    still_active = member.target_->active();
  }
  add(frames_produced_, produced);
  return still_active;
}

void tick_shard::account_period(actors::clock::time_point now) {
  const std::uint64_t period = frames_.first_frame_due_at_or_after(now + actors::clock::duration{1});
  if (period == accounted_period_) return;
  accounted_period_ = period;
  std::int64_t busy_ns = 0;
  for (const auto& slot : slots_) {
    if (!slot.active.empty()) busy_ns += slot.busy_ns;
  }
  const auto busy = std::chrono::nanoseconds(busy_ns);
  load_.store(active_count_.load(std::memory_order_relaxed) == 0 ? 0.0 : load() + newest_weight * (share_of_period(busy) - load()),
              std::memory_order_relaxed);
  incoming_load_.store(0.0, std::memory_order_relaxed);
  if (busy > budget_) {
    if (++overruns_ >= options_.overrun_ticks) {
      overruns_ = 0;
      shed_costliest();
    }
  } else {
    overruns_ = 0;
  }
}

std::size_t tick_shard::lightest_slot() const {
  std::size_t best = 0;
  for (std::size_t index = 1; index < slots_.size(); ++index) {
    if (std::tuple(slots_[index].cost_ns, slots_[index].members) < std::tuple(slots_[best].cost_ns, slots_[best].members))
      best = index;
  }
  return best;
}

actors::clock::time_point tick_shard::due_time(std::size_t slot) const noexcept {
  return frames_.deadline(slots_[slot].next_frame) + phase_of(slot);
}

void tick_shard::insert(std::shared_ptr<shard_member> member) {
  busy_guard guard(*this);
  if (!guard) return;
  incoming_.fetch_sub(1, std::memory_order_relaxed);
  if (member->detach_requested_.load(std::memory_order_acquire)) {
    member->target_.reset();
    return;
  }
  const bool first_shard = !member->started_;
  // A new member, or one from a shard with another slot grid, takes the lightest phase here.
  if (first_shard || member->phase_slot_ >= slots_.size()) member->phase_slot_ = lightest_slot();
  if (first_shard) {
    member->started_ = true;
    // Until measured, a member is assumed to cost what this shard's members cost on average, so a
    // burst of new members spreads over the slots.
    std::int64_t total_cost = 0;
    for (const auto& slot : slots_) total_cost += slot.cost_ns;
    member->cost_ns_ = members_.empty() ? 0 : total_cost / static_cast<std::int64_t>(members_.size());
    member->next_frame_ = frames_.first_frame_due_at_or_after(clock_->now() - phase_of(member->phase_slot_));
  }
  phase_slot& slot = slots_[member->phase_slot_];
  ++slot.members;
  slot.cost_ns += member->cost_ns_;
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

// Parks a member that went inactive; unparks one that became active, at the first frame due (at
// its phase) at or after now (an idle member produces nothing, so nothing is missed while parked).
void tick_shard::refresh(shard_member& member) {
  const bool active = member.target_->active();
  const bool parked = member.active_index_ == shard_member::nowhere;
  if (active && parked) {
    phase_slot& slot = slots_[member.phase_slot_];
    member.next_frame_ = std::max(
        member.next_frame_, frames_.first_frame_due_at_or_after(clock_->now() - phase_of(member.phase_slot_)));
    slot.next_frame = slot.active.empty() ? member.next_frame_ : std::min(slot.next_frame, member.next_frame_);
    member.active_index_ = slot.active.size();
    slot.active.push_back({&member, member.target_.get()});
    active_count_.store(active_count_.load(std::memory_order_relaxed) + 1, std::memory_order_relaxed);
    arm(due_time(member.phase_slot_));
  } else if (!active && !parked) {
    park(member);
  }
}

void tick_shard::park(shard_member& member) {
  phase_slot& slot = slots_[member.phase_slot_];
  const std::size_t place = member.active_index_;
  slot.active[place] = slot.active.back();
  slot.active[place].member->active_index_ = place;
  slot.active.pop_back();
  member.active_index_ = shard_member::nowhere;
  if (slot.active.empty()) slot.busy_ns = 0;
  const std::size_t active = active_count_.load(std::memory_order_relaxed) - 1;
  active_count_.store(active, std::memory_order_relaxed);
  if (active == 0) {
    disarm();
    load_.store(0.0, std::memory_order_relaxed);
  }
}

std::shared_ptr<shard_member> tick_shard::remove(shard_member& member) {
  if (member.active_index_ != shard_member::nowhere) park(member);
  const std::size_t place = member.member_index_;
  auto removed = std::move(members_[place]);
  if (place + 1 < members_.size()) {
    members_[place] = std::move(members_.back());
    members_[place]->member_index_ = place;
  }
  members_.pop_back();
  member_count_.store(members_.size(), std::memory_order_relaxed);
  phase_slot& slot = slots_[removed->phase_slot_];
  --slot.members;
  slot.cost_ns -= removed->cost_ns_;
  removed->member_index_ = shard_member::nowhere;
  removed->resident_ = false;
  return removed;
}

void tick_shard::shed_costliest() {
  // A lone member gains nothing from moving.
  if (!rehome_ || active_count_.load(std::memory_order_relaxed) < 2) return;
  shard_member* costliest = nullptr;
  for (const auto& slot : slots_) {
    for (const active_member& entry : slot.active) {
      if (!costliest || entry.member->cost_ns_ > costliest->cost_ns_) costliest = entry.member;
    }
  }
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

void tick_shard::arm_next() {
  std::optional<actors::clock::time_point> next;
  for (std::size_t index = 0; index < slots_.size(); ++index) {
    if (!slots_[index].active.empty() && (!next || due_time(index) < *next)) next = due_time(index);
  }
  if (next) arm(*next);
}

void tick_shard::disarm() {
  if (!armed_) return;
  timer_.cancel();
  armed_ = false;
}

}  // namespace spence::engine
