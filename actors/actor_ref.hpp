#pragma once
// typed_cell holds an actor's mailbox; actor_ref is its address. An address is a shared pointer to
// the cell: cheap to copy, and still safe after the actor stopped (sends then fail with
// errc::actor_stopped instead of touching freed memory).

#include "actors/actor_cell.hpp"
#include "actors/mailbox.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <memory>
#include <type_traits>
#include <utility>

namespace spence::actors {

struct spawn_options {
  std::size_t mailbox_capacity = 64;
  overflow_policy policy = overflow_policy::control;
  supervision policy_on_failure{};
};

bool runtime_takes_external_messages(const runtime& rt);

template <class Protocol>
class typed_cell : public actor_cell {
 public:
  typed_cell(runtime& owner, std::string name, std::string kind, std::weak_ptr<actor_cell> parent,
             const spawn_options& options)
      : actor_cell(owner, std::move(name), std::move(kind), std::move(parent), options.policy_on_failure),
        mailbox_(strand_, *this, options.mailbox_capacity, options.policy) {}

  mailbox<Protocol>& box() { return mailbox_; }
  mailbox_stats mailbox_state() const override { return mailbox_.stats(); }
  void abandon() override {
    mailbox_.close();
    release_self();
  }

 protected:
  void wake() override { mailbox_.interrupt(); }
  void tell_terminated(const terminated& t) override {
    if constexpr (std::is_constructible_v<Protocol, terminated>) mailbox_.force_push(Protocol{t});
  }

  mailbox<Protocol> mailbox_;
};

template <class Protocol>
class actor_ref {
 public:
  actor_ref() = default;
  explicit actor_ref(std::shared_ptr<typed_cell<Protocol>> cell) : cell_(std::move(cell)) {}

  explicit operator bool() const { return cell_ != nullptr; }
  const std::string& name() const { return cell_->name(); }
  bool stopped() const { return !cell_ || cell_->has_terminated(); }
  const std::shared_ptr<typed_cell<Protocol>>& cell() const { return cell_; }

  // From outside the actor system (an HTTP handler, a gateway reader, a test): never waits.
  // Errors: mailbox_full (control policy), actor_stopped, shutting_down.
  template <class M>
  boost::system::error_code try_send(M&& message) const {
    if (!cell_) return errc::actor_stopped;
    if (!runtime_takes_external_messages(cell_->owner())) return errc::shutting_down;
    return cell_->box().try_push(Protocol{std::forward<M>(message)});
  }

  // From outside, in a coroutine: waits for space in a control mailbox.
  template <class M>
  boost::asio::awaitable<boost::system::error_code> send(M message) const {
    if (!cell_) co_return errc::actor_stopped;
    if (!runtime_takes_external_messages(cell_->owner())) co_return errc::shutting_down;
    auto [ec] = co_await cell_->box().async_push(Protocol{std::move(message)},
                                                 boost::asio::as_tuple(boost::asio::use_awaitable));
    co_return ec;
  }

 private:
  std::shared_ptr<typed_cell<Protocol>> cell_;
};

}  // namespace spence::actors
