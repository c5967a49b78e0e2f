#pragma once
// The messages of Discord's voice gateway, version 8, as plain structs, each written to and read
// from its exact JSON: `{"op":N,"d":{...}}`, plus a top-level "seq" on numbered server messages.
// Both directions are here because the client sends what the emulator reads and the emulator
// sends what the client reads. DAVE's MLS messages (opcodes 25-30) travel as binary frames whose
// payload stays opaque here: server->client `seq (uint16 BE) | opcode | payload`, client->server
// `opcode | payload`. Binary frames advance seq_ack like JSON ones.
//
// Reading never throws: malformed JSON, a field of the wrong type, a missing required field or a
// number out of its range is a voice_gateway_error naming the field. An opcode the reader does not
// know (or one sent the other way) is `unknown_op`, which the protocol says to ignore.
// Optional fields: Identify's max_dave_protocol_version and the Session Description's
// dave_protocol_version read as 0 (no DAVE) when absent, seq_ack as -1 (nothing received yet).
// Fields the protocol marks as ignored (Ready's heartbeat_interval) or that this side does not use
// (Hello's "v") are not kept. describe() never prints the secret key, the token or the session ID.

#include "net/voice/transport_cipher.hpp"
#include "net/voice/voice_gateway_error.hpp"

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace spence::net {

enum class voice_op : std::uint8_t {
  identify = 0,
  select_protocol = 1,
  ready = 2,
  heartbeat = 3,
  session_description = 4,
  speaking = 5,
  heartbeat_ack = 6,
  resume = 7,
  hello = 8,
  resumed = 9,
  clients_connect = 11,
  client_disconnect = 13,
  dave_prepare_transition = 21,
  dave_execute_transition = 22,
  dave_transition_ready = 23,
  dave_prepare_epoch = 24,
  dave_mls_external_sender = 25,              // binary, server->client
  dave_mls_key_package = 26,                  // binary, client->server
  dave_mls_proposals = 27,                    // binary, server->client
  dave_mls_commit_welcome = 28,               // binary, client->server
  dave_mls_announce_commit_transition = 29,   // binary, server->client
  dave_mls_welcome = 30,                      // binary, server->client
  dave_mls_invalid_commit_welcome = 31,
};

// "session_description"; "op N" for a number without a name.
std::string to_string(voice_op op);

// Speaking flags (op 5).
inline constexpr std::uint32_t speaking_microphone = 1u << 0;
inline constexpr std::uint32_t speaking_soundshare = 1u << 1;
inline constexpr std::uint32_t speaking_priority = 1u << 2;

// ---- client -> server ----

struct voice_identify {
  static constexpr voice_op op = voice_op::identify;
  std::string server_id;
  std::string user_id;
  std::string session_id;
  std::string token;
  std::uint16_t max_dave_protocol_version = 0;
  friend bool operator==(const voice_identify&, const voice_identify&) = default;
};

struct voice_select_protocol {
  static constexpr voice_op op = voice_op::select_protocol;
  std::string protocol = "udp";
  std::string address;  // ours, from IP discovery
  std::uint16_t port = 0;
  std::string mode;     // a transport_mode name; kept as text so a server can refuse one it lacks
  friend bool operator==(const voice_select_protocol&, const voice_select_protocol&) = default;
};

struct voice_heartbeat {
  static constexpr voice_op op = voice_op::heartbeat;
  std::uint64_t t = 0;        // a nonce the ACK echoes; a JSON integer (Discord refuses strings)
  std::int64_t seq_ack = -1;  // the last seq received, -1 before any
  friend bool operator==(const voice_heartbeat&, const voice_heartbeat&) = default;
};

struct voice_speaking {
  static constexpr voice_op op = voice_op::speaking;
  std::uint32_t speaking = 0;  // speaking_* flags
  std::uint32_t delay = 0;     // bots send 0
  std::uint32_t ssrc = 0;
  friend bool operator==(const voice_speaking&, const voice_speaking&) = default;
};

struct voice_resume {
  static constexpr voice_op op = voice_op::resume;
  std::string server_id;
  std::string session_id;
  std::string token;
  std::int64_t seq_ack = -1;
  friend bool operator==(const voice_resume&, const voice_resume&) = default;
};

struct dave_transition_ready {
  static constexpr voice_op op = voice_op::dave_transition_ready;
  std::uint16_t transition_id = 0;
  friend bool operator==(const dave_transition_ready&, const dave_transition_ready&) = default;
};

struct dave_mls_invalid_commit_welcome {
  static constexpr voice_op op = voice_op::dave_mls_invalid_commit_welcome;
  std::uint16_t transition_id = 0;
  friend bool operator==(const dave_mls_invalid_commit_welcome&, const dave_mls_invalid_commit_welcome&) = default;
};

// ---- server -> client ----

struct voice_ready {
  static constexpr voice_op op = voice_op::ready;
  std::uint32_t ssrc = 0;
  std::string ip;  // where IP discovery and RTP go
  std::uint16_t port = 0;
  std::vector<std::string> modes;
  friend bool operator==(const voice_ready&, const voice_ready&) = default;
};

struct voice_session_description {
  static constexpr voice_op op = voice_op::session_description;
  std::string mode;
  std::array<std::uint8_t, transport_key_bytes> secret_key{};  // a JSON array of 32 integers 0..255
  std::uint16_t dave_protocol_version = 0;
  friend bool operator==(const voice_session_description&, const voice_session_description&) = default;
};

// Another user's speaking state: the SSRC -> user map that receiving and DAVE decryption need.
struct voice_user_speaking {
  static constexpr voice_op op = voice_op::speaking;
  std::uint32_t speaking = 0;
  std::uint32_t ssrc = 0;
  std::string user_id;
  friend bool operator==(const voice_user_speaking&, const voice_user_speaking&) = default;
};

struct voice_heartbeat_ack {
  static constexpr voice_op op = voice_op::heartbeat_ack;
  std::uint64_t t = 0;
  friend bool operator==(const voice_heartbeat_ack&, const voice_heartbeat_ack&) = default;
};

struct voice_hello {
  static constexpr voice_op op = voice_op::hello;
  std::uint32_t heartbeat_interval_ms = 0;  // any JSON number, rounded to whole milliseconds
  friend bool operator==(const voice_hello&, const voice_hello&) = default;
};

struct voice_resumed {
  static constexpr voice_op op = voice_op::resumed;
  friend bool operator==(const voice_resumed&, const voice_resumed&) = default;
};

struct voice_clients_connect {
  static constexpr voice_op op = voice_op::clients_connect;
  std::vector<std::string> user_ids;
  friend bool operator==(const voice_clients_connect&, const voice_clients_connect&) = default;
};

struct voice_client_disconnect {
  static constexpr voice_op op = voice_op::client_disconnect;
  std::string user_id;
  friend bool operator==(const voice_client_disconnect&, const voice_client_disconnect&) = default;
};

struct dave_prepare_transition {
  static constexpr voice_op op = voice_op::dave_prepare_transition;
  std::uint16_t protocol_version = 0;
  std::uint16_t transition_id = 0;  // 0: (re)initialisation, executed at once
  friend bool operator==(const dave_prepare_transition&, const dave_prepare_transition&) = default;
};

struct dave_execute_transition {
  static constexpr voice_op op = voice_op::dave_execute_transition;
  std::uint16_t transition_id = 0;
  friend bool operator==(const dave_execute_transition&, const dave_execute_transition&) = default;
};

struct dave_prepare_epoch {
  static constexpr voice_op op = voice_op::dave_prepare_epoch;
  std::uint16_t protocol_version = 0;
  std::uint64_t epoch = 0;  // 1: a new group is being created
  friend bool operator==(const dave_prepare_epoch&, const dave_prepare_epoch&) = default;
};

// ---- either way ----

// An opcode this side does not read; ignored by the protocol's rules. Written back as `d: null`.
struct unknown_op {
  std::int64_t op = 0;
  friend bool operator==(const unknown_op&, const unknown_op&) = default;
};

using voice_client_message = std::variant<voice_identify, voice_select_protocol, voice_heartbeat, voice_speaking,
                                          voice_resume, dave_transition_ready, dave_mls_invalid_commit_welcome,
                                          unknown_op>;

using voice_server_message =
    std::variant<voice_hello, voice_ready, voice_session_description, voice_user_speaking, voice_heartbeat_ack,
                 voice_resumed, voice_clients_connect, voice_client_disconnect, dave_prepare_transition,
                 dave_execute_transition, dave_prepare_epoch, unknown_op>;

// A server message and its top-level "seq" (absent on unnumbered ones such as Hello).
struct received_voice_server_message {
  voice_server_message message;
  std::optional<std::int64_t> seq;
  friend bool operator==(const received_voice_server_message&, const received_voice_server_message&) = default;
};

std::string serialize_voice_client_message(const voice_client_message& message);
std::string serialize_voice_server_message(const voice_server_message& message,
                                           std::optional<std::int64_t> seq = std::nullopt);

voice_gateway_result<voice_client_message> parse_voice_client_message(std::string_view json);
voice_gateway_result<received_voice_server_message> parse_voice_server_message(std::string_view json);

// One line for a log: the opcode's name and the fields that are not secrets.
std::string describe(const voice_client_message& message);
std::string describe(const voice_server_message& message);

// ---- binary frames (DAVE MLS) ----

struct voice_server_binary_frame {
  std::uint16_t seq = 0;
  voice_op op{};
  std::span<const std::uint8_t> payload;  // into the frame that was read
};

struct voice_client_binary_frame {
  voice_op op{};
  std::span<const std::uint8_t> payload;
};

// Replace what `out` held.
void write_voice_server_binary_frame(std::uint16_t seq, voice_op op, std::span<const std::uint8_t> payload,
                                     std::vector<std::uint8_t>& out);
void write_voice_client_binary_frame(voice_op op, std::span<const std::uint8_t> payload,
                                     std::vector<std::uint8_t>& out);

// Error: truncated (shorter than the 3-byte or 1-byte header).
voice_gateway_result<voice_server_binary_frame> parse_voice_server_binary_frame(std::span<const std::uint8_t> frame);
voice_gateway_result<voice_client_binary_frame> parse_voice_client_binary_frame(std::span<const std::uint8_t> frame);

}  // namespace spence::net
