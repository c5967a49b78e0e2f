// The emulator's DAVE side: what Discord's voice gateway does for a call's end-to-end encryption,
// on top of dave::dave_gateway_group's logic. Every message the group logic produces for a user
// goes to that user's connected sessions in the guild.

#include "net/voice/voice_emulator.hpp"

#include "net/voice/snowflake.hpp"
#include "net/voice/voice_emulator_session.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <spdlog/spdlog.h>

namespace spence::net {

namespace asio = boost::asio;

namespace {

constexpr std::uint16_t failed_to_decode = 4002;

}  // namespace

dave::dave_gateway_group& voice_emulator::dave_group(const session& s) {
  auto& group = dave_groups_[s.server_id];
  if (!group) {
    const auto configured = options_.channel_ids.find(s.server_id);
    std::uint64_t channel = 0;
    if (configured != options_.channel_ids.end()) channel = configured->second;
    else channel = parse_snowflake(s.server_id).value_or(0);
    group = std::make_unique<dave::dave_gateway_group>(channel);
  }
  return *group;
}

void voice_emulator::announce_external_sender(session& s) {
  s.external_sender_announced = true;
  const auto payload = dave_group(s).external_sender_payload();
  send_binary(s.current, voice_op::dave_mls_external_sender, payload);
}

std::uint16_t voice_emulator::on_dave_binary(const std::shared_ptr<session>& s, std::span<const std::uint8_t> frame) {
  auto parsed = parse_voice_client_binary_frame(frame);
  if (!parsed) return failed_to_decode;
  if (!s->dave_user || (parsed->op != voice_op::dave_mls_key_package && parsed->op != voice_op::dave_mls_commit_welcome)) {
    std::lock_guard lock(counters_mutex_);
    ++ignored_ops_;
    return 0;
  }
  const auto delay = options_.dave_commit_delays.find(*s->dave_user);
  if (parsed->op == voice_op::dave_mls_commit_welcome && delay != options_.dave_commit_delays.end()) {
    asio::co_spawn(
        executor_,
        [self = shared_from_this(), s, payload = std::vector<std::uint8_t>(parsed->payload.begin(), parsed->payload.end()),
         wait = delay->second]() -> asio::awaitable<void> {
          asio::steady_timer timer(self->executor_, wait);
          co_await timer.async_wait(asio::use_awaitable);
          self->apply_dave_binary(s, voice_op::dave_mls_commit_welcome, payload);
        },
        asio::detached);
    return 0;
  }
  apply_dave_binary(s, parsed->op, parsed->payload);
  return 0;
}

void voice_emulator::apply_dave_binary(const std::shared_ptr<session>& s, voice_op op, std::span<const std::uint8_t> payload) {
  auto& group = dave_group(*s);
  auto sends = op == voice_op::dave_mls_key_package ? group.on_key_package(*s->dave_user, payload)
                                                    : group.on_commit_welcome(*s->dave_user, payload);
  if (!sends) {
    // Discord answers a bad key package or commit by ignoring it (the client reports op 31 or
    // tries again); the reason is counted in the group's stats.
    spdlog::info("emulator: DAVE {} from user {} refused: {}", to_string(op), s->user_id, sends.error().message());
  } else {
    deliver(s->server_id, *sends);
    if (op == voice_op::dave_mls_commit_welcome) schedule_transition_timeout(s->server_id);
  }
  std::lock_guard lock(counters_mutex_);
  dave_stats_[s->server_id] = group.stats();
}

void voice_emulator::on_dave_json(const std::shared_ptr<session>& s, const voice_client_message& m) {
  if (!s->dave_user) return;
  auto& group = dave_group(*s);
  if (const auto* ready = std::get_if<dave_transition_ready>(&m)) {
    deliver(s->server_id, group.on_transition_ready(*s->dave_user, ready->transition_id));
  } else if (const auto* invalid = std::get_if<dave_mls_invalid_commit_welcome>(&m)) {
    group.on_invalid_commit_welcome(*s->dave_user, invalid->transition_id);
  }
  std::lock_guard lock(counters_mutex_);
  dave_stats_[s->server_id] = group.stats();
}

void voice_emulator::deliver(const std::string& guild, const std::vector<dave::dave_gateway_output>& sends) {
  for (const auto& out : sends) {
    for (auto& [id, s] : sessions_) {
      if (s->server_id != guild || s->dave_user != out.user_id || !s->current) continue;
      if (const auto* binary = std::get_if<dave::dave_binary_message>(&out.message)) {
        send_binary(s->current, binary->op, binary->payload);
      } else {
        std::visit([&](const auto& json) {
          if constexpr (!std::is_same_v<std::decay_t<decltype(json)>, dave::dave_binary_message>) send(s->current, json, true);
        }, out.message);
      }
    }
  }
}

void voice_emulator::schedule_transition_timeout(const std::string& guild) {
  const auto pending = dave_groups_.at(guild)->pending_transition();
  if (!pending) return;
  asio::co_spawn(
      executor_,
      [self = shared_from_this(), guild, id = *pending]() -> asio::awaitable<void> {
        asio::steady_timer timer(self->executor_, self->options_.dave_transition_timeout);
        co_await timer.async_wait(asio::use_awaitable);
        auto group = self->dave_groups_.find(guild);
        if (group != self->dave_groups_.end()) self->deliver(guild, group->second->execute_pending_transition(id));
      },
      asio::detached);
}

void voice_emulator::leave(const std::shared_ptr<session>& s) {
  sessions_.erase(s->session_id);
  relay_->remove_participant(s->ssrc);
  broadcast(s, voice_client_disconnect{s->user_id});
  {
    std::lock_guard lock(counters_mutex_);
    session_count_ = sessions_.size();
  }
  if (!s->dave_user) return;
  auto& group = dave_group(*s);
  deliver(s->server_id, group.on_leave(*s->dave_user));
  std::lock_guard lock(counters_mutex_);
  dave_stats_[s->server_id] = group.stats();
}

}  // namespace spence::net
