#pragma once
// A local stand-in for a Discord voice server, for tests, benchmarks, demos and offline bots: the
// voice gateway v8 (WebSocket on loopback) in front of a voice_udp_relay. It greets with Hello,
// answers Identify with Ready (an SSRC, the relay's address, the transport modes), Select Protocol
// with a Session Description carrying a fresh key, heartbeats with ACKs, tells participants about
// each other (Clients Connect / Disconnect, Speaking with user ids), and resumes a session whose
// connection dropped. What a client gets wrong closes its connection with Discord's close code:
// 4002 undecodable payload, 4003 not identified, 4005 identified twice, 4006 no such session to
// resume, 4016 unknown encryption mode, 4017 when DAVE is required and the client has none.
//
// DAVE (option `dave`): a client that offers it (Identify's max_dave_protocol_version) gets
// sessions described with protocol version 1 and the emulator runs its guild's group as Discord's
// voice gateway does (dave::dave_gateway_group: the external sender, op 25, proposals, the first
// commit of each epoch, welcomes, transitions, and Remove proposals when a member leaves, which is
// a close with code 1000). The relay forwards such clients' frames without decoding them, as it
// cannot. The group ID is the channel's ID, which Identify does not carry: `channel_ids` maps a
// guild to it, and a guild without an entry has a channel of the same ID. Clients that do not
// offer DAVE get protocol version 0 (or 4017 with `require_dave`).
//
// The gateway's TCP port also answers plain HTTP, the control API for tests and benchmarks in
// another process (a request that is a WebSocket upgrade goes to the gateway instead):
//   GET  /stats                              -> stats() as JSON
//   POST /faults     {"loss":0.1,"delay_ms":20} -> the relay drops and delays packets (absent: 0)
//   POST /disconnect {"user_id":"u","code":4015} -> closes that user's connection with that code
//   POST /rekey      {"user_id":"u"}          -> a new Session Description with a fresh key; the
//                                                relay refuses the old key from then on
// A request the API cannot serve gets a 4xx and {"error": "..."}.
//
// Everything but the relay's reading of its UDP socket (its own thread, see voice_udp_relay) runs
// on the one executor given, which must not run handlers concurrently (an io_context run by one
// thread, or a strand); disconnect() posts onto it and stats() may be called from anywhere.

#include "net/dave/dave_gateway_group.hpp"
#include "net/http/http_server.hpp"
#include "net/voice/voice_gateway_payloads.hpp"
#include "net/voice/voice_udp_relay.hpp"
#include "net/websocket/websocket_connection.hpp"

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/json/object.hpp>

#include <chrono>
#include <deque>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <random>
#include <span>
#include <string>
#include <variant>

namespace spence::net {

struct voice_emulator_options {
  boost::asio::ip::address address = boost::asio::ip::address_v4::loopback();  // of both sockets
  std::uint16_t gateway_port = 0;  // TCP, WebSocket and control API; 0: any
  std::uint16_t udp_port = 0;      // 0: any
  std::chrono::milliseconds heartbeat_interval{41250};  // what Hello announces
  std::vector<std::string> modes = {"aead_aes256_gcm_rtpsize", "aead_xchacha20_poly1305_rtpsize"};
  bool dave = false;          // speak DAVE with clients that offer it
  bool require_dave = false;  // close Identify without max_dave_protocol_version with 4017
  std::map<std::string, std::uint64_t> channel_ids;  // guild -> voice channel (DAVE's group ID)
  std::chrono::milliseconds dave_transition_timeout{2000};  // execute without the members not ready
  // A fault for tests: the commits (op 28) of these users reach the group logic only after the
  // delay, so the others' commits win their epochs.
  std::map<std::uint64_t, std::chrono::milliseconds> dave_commit_delays;
  std::optional<std::filesystem::path> ogg_dir;  // where the relay writes each received stream
  bool decode_audio = true;  // decode every payload; off, only RTP and pacing are checked (benchmarks)
  std::uint32_t seed = 1;  // SSRCs and keys are drawn from it, so runs repeat
};

class voice_emulator : public std::enable_shared_from_this<voice_emulator> {
 public:
  // Throws boost::system::system_error when the sockets cannot be bound.
  voice_emulator(const boost::asio::any_io_executor& executor, voice_emulator_options options = {});
  ~voice_emulator();

  void start();
  void stop();
  boost::asio::ip::tcp::endpoint gateway_endpoint() const { return gateway_endpoint_; }
  boost::asio::ip::udp::endpoint udp_endpoint() const { return relay_->local_endpoint(); }
  const std::shared_ptr<voice_udp_relay>& relay() const { return relay_; }

  // A fault: closes the gateway connection of `user_id`'s session with `code`.
  void disconnect(const std::string& user_id, std::uint16_t code, const std::string& reason);
  // {"sessions": n, "connected": n, "closed": {code: n}, "ignored_ops": n, "udp": relay stats,
  //  "dave": {guild: dave_gateway_group stats}}
  boost::json::object stats() const;

 private:
  struct connection;
  struct session;

  class front_door;  // the http_handler: upgrades to the gateway, other requests to the control API

  boost::asio::awaitable<void> serve_gateway(websocket_connection ws);
  // The control API (voice_emulator_control.cpp). Never throws.
  http_response answer_control(const http_request& request);
  static http_response control_error(boost::beast::http::status status, std::string_view message);
  // Closes `user_id`'s open connections now (on the executor); returns how many.
  std::size_t disconnect_now(const std::string& user_id, std::uint16_t code, const std::string& reason);
  // Gives `user_id`'s connected sessions that have selected their protocol a fresh key; returns how many.
  std::size_t rekey_now(const std::string& user_id);
  // A fresh key for `s`: the relay's first, then the client's Session Description.
  void rekey(session& s);
  // Handles one client message; returns a close code to end the connection with, or 0.
  std::uint16_t handle(const std::shared_ptr<connection>& c, const voice_client_message& m);
  void send(const std::shared_ptr<connection>& c, const voice_server_message& m, bool numbered);
  void send_binary(const std::shared_ptr<connection>& c, voice_op op, std::span<const std::uint8_t> payload);
  void enqueue(const std::shared_ptr<connection>& c, std::variant<std::string, std::vector<std::uint8_t>> frame);
  // DAVE, Discord's side (voice_emulator_dave.cpp).
  void announce_external_sender(session& s);
  std::uint16_t on_dave_binary(const std::shared_ptr<session>& s, std::span<const std::uint8_t> frame);
  void apply_dave_binary(const std::shared_ptr<session>& s, voice_op op, std::span<const std::uint8_t> payload);
  void on_dave_json(const std::shared_ptr<session>& s, const voice_client_message& m);
  void deliver(const std::string& guild, const std::vector<dave::dave_gateway_output>& sends);
  void schedule_transition_timeout(const std::string& guild);
  // The session's user left the call (closed with 1000): the others are told, DAVE removes it.
  void leave(const std::shared_ptr<session>& s);
  dave::dave_gateway_group& dave_group(const session& s);
  void close(const std::shared_ptr<connection>& c, std::uint16_t code, std::string reason);
  boost::asio::awaitable<void> write_queue(std::shared_ptr<connection> c);
  void broadcast(const std::shared_ptr<session>& from, const voice_server_message& m);

  boost::asio::any_io_executor executor_;
  voice_emulator_options options_;
  std::shared_ptr<http_server> server_;
  boost::asio::ip::tcp::endpoint gateway_endpoint_;
  std::shared_ptr<voice_udp_relay> relay_;
  std::mt19937 random_;
  std::map<std::string, std::shared_ptr<session>> sessions_;  // by session id
  std::map<std::string, std::unique_ptr<dave::dave_gateway_group>> dave_groups_;  // by guild

  // Counters for stats(), which any thread may call.
  mutable std::mutex counters_mutex_;
  std::map<std::uint16_t, std::uint64_t> closed_;
  std::uint64_t ignored_ops_ = 0;
  boost::json::object dave_stats_;  // by guild, refreshed after each DAVE event
  std::size_t session_count_ = 0;
  std::size_t connected_ = 0;
};

}  // namespace spence::net
