#pragma once
// spence's client of one Discord voice server, for one guild: the voice gateway v8 session and its
// UDP socket. It connects to the endpoint of VOICE_SERVER_UPDATE, identifies, does IP discovery,
// selects the transport mode (AES-256-GCM when offered, else XChaCha20-Poly1305), takes the
// Session Description's key and attaches it to its voice_sink, whose packets the guild's player
// sends on its ticks. Then it heartbeats (v8: nonce and seq_ack; a heartbeat not acknowledged by
// the next one means the connection is dead), keeps the UDP path open (keepalive), receives what
// others send (decrypted per SSRC, mapped to users through their Speaking messages), and when the
// gateway closes, does what the close code says (voice_close_code.hpp): resume (Resume with
// seq_ack on a new WebSocket), connect afresh (a new Identify, a new SSRC), or give up. Failed
// attempts back off (0.5 s doubling up to 8 s); after `max_attempts` failures in a row it gives up.
// The player keeps playing throughout, so after a reconnect it goes on from where it is.
//
// DAVE (end-to-end encryption): Identify offers protocol version 1 when the channel ID (the MLS
// group's ID) is known. The connection feeds the DAVE opcodes to its dave_session, sends what the
// session answers, and puts the session's frame encryptor on the sink, so the player's frames are
// DAVE-encrypted before transport encryption; received frames are DAVE-decrypted with the
// sender's keys (its user ID from its Speaking message). A server that answers with DAVE version
// 0 (Stage channels) gets plain Opus frames, and the log says so.
//
// Endpoints: an endpoint without a scheme ("host:port", as VOICE_SERVER_UPDATE gives it) or with
// wss:// is reached over TLS, its certificate checked against the system's CAs; "ws://host:port"
// is plain WebSocket (the emulator).
//
// Everything runs on the given executor, which must not run handlers concurrently (a strand or an
// io_context with one thread); start(), stop(), status() and stats() may be called from any thread.

#include "net/dave/dave_session.hpp"
#include "net/dave/opus_frame_encryptor.hpp"
#include "net/voice/replay_window.hpp"
#include "net/voice/voice_gateway_payloads.hpp"
#include "net/voice/voice_sink.hpp"

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/udp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/json/object.hpp>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <span>
#include <string>

namespace spence::net {

class websocket_connection;

// What VOICE_STATE_UPDATE and VOICE_SERVER_UPDATE give a bot (the token and session id are
// secrets: never logged).
struct voice_server_info {
  std::string endpoint;    // "host:port" or "wss://host:port" (TLS), "ws://host:port" (plain)
  std::string server_id;   // the guild
  std::string user_id;     // the bot
  std::string session_id;
  std::string token;
  std::string channel_id;  // DAVE's MLS group id (issue 6)
};

enum class voice_connection_state { connecting, ready, reconnecting, closed };
std::string_view to_string(voice_connection_state state) noexcept;

struct voice_connection_status {
  voice_connection_state state = voice_connection_state::connecting;
  std::uint16_t close_code = 0;  // the last close code the gateway sent (0: none yet)
  std::string reason;            // why it is closed or reconnecting
};

// Audio received from another participant, already decrypted; valid during the call.
struct received_voice_frame {
  std::uint32_t ssrc = 0;
  std::string user_id;  // empty until that SSRC's Speaking message arrived
  std::uint16_t sequence = 0;
  std::uint32_t timestamp = 0;
  std::span<const std::uint8_t> opus;
};

struct voice_connection_options {
  std::chrono::milliseconds handshake_timeout{10'000};  // connect to session described (or resumed)
  std::chrono::milliseconds keepalive_interval{5'000};
  int max_attempts = 5;         // failed connections in a row before giving up
  std::chrono::milliseconds first_backoff{500};  // doubled after each failure, up to 8 s
  std::uint32_t seed = 0;       // the RTP streams' first sequence numbers and timestamps
  std::optional<std::filesystem::path> tls_ca_file;  // CAs to trust instead of the system's (tests)
  // Called on the connection's executor whenever the state changes.
  std::function<void(const voice_connection_status&)> on_status;
  // Called on the connection's executor for each packet received from another participant.
  std::function<void(const received_voice_frame&)> on_audio;
  // Called on the connection's executor with each acknowledged heartbeat's round trip: the
  // voice server's ping, as Lavalink reports it.
  std::function<void(std::chrono::milliseconds)> on_heartbeat_ack;
};

class voice_connection : public std::enable_shared_from_this<voice_connection> {
  struct token {};  // only create() constructs

 public:
  // `sink`: the guild player's sink, kept from an earlier connection; null: a new one.
  static std::shared_ptr<voice_connection> create(const boost::asio::any_io_executor& executor,
                                                  voice_server_info server, voice_connection_options options = {},
                                                  std::shared_ptr<voice_sink> sink = nullptr);
  voice_connection(token, const boost::asio::any_io_executor& executor, voice_server_info server,
                   voice_connection_options options, std::shared_ptr<voice_sink> sink);
  ~voice_connection();

  void start();
  // Leaves: closes the gateway with 1000, closes the socket, state closed. Idempotent.
  void stop();

  // Where the guild's player sends its packets.
  const std::shared_ptr<voice_sink>& sink() const noexcept { return sink_; }

  voice_connection_status status() const;
  // {"state", "close_code", "ssrc", "mode", "udp_port", "connects", "resumes", "heartbeats", "heartbeat_acks",
  //  "rtt_ms", "gateway_errors", "ignored_ops", "received": {ssrc: {...}}, "dropped": {reason: n},
  //  "sink": voice_sink stats, "dave": dave_session stats (once described)}
  boost::json::object stats() const;

 private:
  struct gateway;  // one WebSocket connection's state

  boost::asio::awaitable<void> run();
  // One WebSocket connection, from connect to close; returns the close code and reason.
  boost::asio::awaitable<std::pair<std::uint16_t, std::string>> session(bool resume);
  boost::asio::awaitable<void> heartbeat(std::shared_ptr<gateway> g, std::chrono::milliseconds interval);
  boost::asio::awaitable<void> write_queue(std::shared_ptr<gateway> g);
  void send(const std::shared_ptr<gateway>& g, const voice_client_message& m);
  void send(const std::shared_ptr<gateway>& g, const std::vector<dave::dave_gateway_message>& messages);
  void enqueue(const std::shared_ptr<gateway>& g, std::variant<std::string, std::vector<std::uint8_t>> frame);
  // A DAVE binary message (ops 25, 27, 29, 30) from the server.
  void on_dave_binary(const std::shared_ptr<gateway>& g, voice_op op, std::span<const std::uint8_t> payload);
  // The DAVE protocol version Identify offers: 1 when the channel (the group ID) is known.
  std::uint16_t offered_dave_version() const;
  // Handles one server message; may throw std::runtime_error to end the connection.
  boost::asio::awaitable<void> handle(const std::shared_ptr<gateway>& g, const voice_server_message& m);
  boost::asio::awaitable<void> on_ready(const std::shared_ptr<gateway>& g, const voice_ready& ready);
  void on_session_description(const std::shared_ptr<gateway>& g, const voice_session_description& description);
  boost::asio::awaitable<boost::asio::ip::udp::endpoint> discover(const boost::asio::ip::udp::endpoint& server,
                                                                  std::uint32_t ssrc);
  boost::asio::awaitable<void> receive_loop(std::uint64_t socket_generation);
  boost::asio::awaitable<void> keepalive_loop();
  boost::asio::awaitable<void> pace_silence();
  void on_datagram(std::span<const std::uint8_t> datagram);
  void on_audio_ended();
  void attach_sink();
  void set_status(voice_connection_state state, std::uint16_t code, std::string reason);

  boost::asio::any_io_executor executor_;
  voice_server_info server_;
  voice_connection_options options_;
  std::shared_ptr<voice_sink> sink_;

  bool stopping_ = false;
  bool pacing_silence_ = false;
  std::shared_ptr<gateway> current_;
  std::optional<boost::asio::ip::udp::socket> socket_;
  boost::asio::ip::udp::endpoint udp_server_;
  std::uint64_t socket_generation_ = 0;
  bool keeping_alive_ = false;
  std::int64_t seq_ack_ = -1;
  bool identified_ = false;  // a session exists that can be resumed
  std::map<std::uint32_t, std::string> users_by_ssrc_;
  std::optional<voice_transport> transport_;  // of the described session
  std::unique_ptr<transport_cipher> receive_cipher_;
  std::vector<std::uint8_t> plaintext_;
  std::vector<std::uint8_t> dave_plaintext_;
  std::shared_ptr<dave::opus_frame_encryptor> frame_encryptor_;  // the sink's, for this session
  std::unique_ptr<dave::dave_session> dave_;                     // from Identify; kept across resumes

  mutable std::mutex mutex_;  // what status() and stats() read
  voice_connection_status status_;
  std::uint32_t ssrc_ = 0;
  std::string mode_;
  std::uint16_t udp_port_ = 0;  // ours
  std::uint64_t connects_ = 0, resumes_ = 0, heartbeats_ = 0, heartbeat_acks_ = 0;
  std::uint64_t gateway_errors_ = 0, ignored_ops_ = 0, keepalives_ = 0;
  double rtt_ms_ = 0;
  struct received_stream {
    std::uint64_t packets = 0;
    std::uint64_t bytes = 0;
    replay_window window;
  };
  void drop(std::string_view reason);  // counted; the first of each reason is logged
  std::map<std::uint32_t, received_stream> received_;
  std::map<std::string, std::uint64_t, std::less<>> dropped_;
};

}  // namespace spence::net
