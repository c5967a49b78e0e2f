#pragma once
// Discord's voice gateway close codes and what a client does after each, as Discord's
// documentation and our notes (../shared/reference/discord-voice-and-dave.md) give them:
// resume the session on 4015 (the voice server crashed) and on transport-level closes (below
// 4000: the connection broke or the server went away); never reconnect after 4014 (disconnected:
// kicked, channel deleted, main gateway session gone), 4017 (DAVE required: spence offers it
// whenever it knows the channel, so a client refused once would be refused again), 4021 (rate
// limited) or 4022 (call terminated); connect afresh (a new Identify) after any other code.

#include <cstdint>
#include <string_view>

namespace spence::net::voice_close {

inline constexpr std::uint16_t unknown_opcode = 4001;
inline constexpr std::uint16_t failed_to_decode = 4002;
inline constexpr std::uint16_t not_authenticated = 4003;
inline constexpr std::uint16_t authentication_failed = 4004;
inline constexpr std::uint16_t already_authenticated = 4005;
inline constexpr std::uint16_t session_no_longer_valid = 4006;
inline constexpr std::uint16_t session_timeout = 4009;
inline constexpr std::uint16_t server_not_found = 4011;
inline constexpr std::uint16_t unknown_protocol = 4012;
inline constexpr std::uint16_t disconnected = 4014;
inline constexpr std::uint16_t voice_server_crashed = 4015;
inline constexpr std::uint16_t unknown_encryption_mode = 4016;
inline constexpr std::uint16_t dave_required = 4017;
inline constexpr std::uint16_t bad_request = 4020;
inline constexpr std::uint16_t rate_limited = 4021;
inline constexpr std::uint16_t call_terminated = 4022;
// Not Discord's: the code spence closes with when it ends a connection that went wrong (no session
// in time, a heartbeat not acknowledged). Discord assigns nothing to 4000.
inline constexpr std::uint16_t client_ended = 4000;

enum class action { resume, reconnect, give_up };

action after(std::uint16_t code) noexcept;
std::string_view to_string(action a) noexcept;

}  // namespace spence::net::voice_close
