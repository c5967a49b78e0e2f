#pragma once
// The UDP side of the Discord emulator: one socket on loopback that answers IP discovery, takes
// each participant's encrypted RTP, checks it (stream_checker) and, like Discord's SFU, forwards
// it to every other participant re-encrypted with the recipient's own key and nonce counter.
// Participants are registered by the emulator's gateway (SSRC, transport mode, secret key); a
// participant's address is the one its IP discovery request came from.
//
// Bad datagrams (unknown SSRC, garbage, truncated, forged or under an old key) are counted by
// reason and dropped; nothing a client sends stops the relay. Faults can be injected: a share of
// packets lost and a delay before forwarding.
//
// The socket is read by the relay's own thread, not through the executor: a socket in an epoll
// set costs every sender a wake-up call per datagram (the loopback sender runs the receive path),
// and a reader that drains faster than thousands of streams fill would sleep and be woken once
// per packet. So the thread waits with poll() only while nothing arrives, and while traffic flows
// it reads in batches (recvmmsg) once per millisecond, registered nowhere in between; packets keep
// their kernel arrival times (SO_TIMESTAMPNS), so pacing is measured as they arrived, not as read.
// The executor runs the delayed forwards of an injected delay. The public methods may be called
// from any thread.

#include "net/voice/rtp_packet.hpp"
#include "net/voice/stream_checker.hpp"
#include "net/voice/transport_cipher.hpp"

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/ip/udp.hpp>
#include <boost/json/object.hpp>

#include <array>
#include <atomic>
#include <chrono>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <random>
#include <set>
#include <string>
#include <thread>
#include <unordered_map>

namespace spence::net {

struct relay_participant {
  std::uint32_t ssrc = 0;
  transport_mode mode = transport_mode::aead_aes256_gcm_rtpsize;
  std::array<std::uint8_t, transport_key_bytes> key{};
  std::string group;  // the guild: packets are forwarded to the same group's participants only
  // DAVE on: payloads are end-to-end encrypted frames the relay forwards but cannot decode (as
  // Discord's SFU); the checker counts them instead.
  bool end_to_end_encrypted = false;
};

struct relay_faults {
  double loss = 0;                       // share of received packets dropped before checking, 0 to 1
  std::chrono::milliseconds delay{0};    // before a packet is forwarded
  double duplicate = 0;                  // share of forwarded packets sent twice (a replay), 0 to 1
};

class voice_udp_relay : public std::enable_shared_from_this<voice_udp_relay> {
 public:
  // Binds `local` (port 0: any). With `ogg_dir`, each received stream is written there; without
  // `decode_audio`, payloads are not decoded (see stream_checker). Throws
  // boost::system::system_error when the socket cannot be bound.
  voice_udp_relay(const boost::asio::any_io_executor& executor, const boost::asio::ip::udp::endpoint& local,
                  std::optional<std::filesystem::path> ogg_dir = std::nullopt, bool decode_audio = true);
  ~voice_udp_relay();

  boost::asio::ip::udp::endpoint local_endpoint() const;
  // Starts the reader thread.
  void start();
  // Ends the reader thread and closes the socket; a forward still delayed is not sent.
  void stop();

  // A participant whose SSRC is known (Ready) but not yet its key (Session Description): its IP
  // discovery is answered, its audio dropped.
  void expect_participant(std::uint32_t ssrc);
  // Adds or rekeys a participant (a rekeyed one's packets under the old key fail authentication).
  void add_participant(const relay_participant& participant);
  void remove_participant(std::uint32_t ssrc);
  void set_faults(const relay_faults& faults);

  // {"participants": n, "datagrams": n, "forwarded": n, "dropped": {reason: n}, "streams": [...]}
  boost::json::object stats() const;
  std::vector<stream_stats> streams() const;
  // Ends the Ogg files.
  void finish();

 private:
  struct peer {
    relay_participant participant;
    std::unique_ptr<transport_cipher> cipher;  // null until its key is known
    std::optional<boost::asio::ip::udp::endpoint> address;  // from its IP discovery
    std::uint32_t nonce = 0;                                  // ours, towards it
  };

  struct batch;

  void receive_loop();
  void on_datagram(std::span<const std::uint8_t> datagram, const boost::asio::ip::udp::endpoint& from,
                   stream_checker::clock::time_point arrival);
  void forward(std::span<const std::uint8_t> header, std::span<const std::uint8_t> payload, const peer& from);
  void send_to(std::span<const std::uint8_t> datagram, const boost::asio::ip::udp::endpoint& to);
  void drop(std::string_view reason);

  boost::asio::any_io_executor executor_;
  boost::asio::ip::udp::endpoint local_;
  int socket_ = -1;
  int wake_ = -1;  // an eventfd: stop() wakes the thread with it
  std::thread reader_;
  std::atomic<bool> stopping_{false};
  // The reader thread's own.
  std::unique_ptr<batch> batch_;
  std::vector<std::uint8_t> plaintext_;
  std::vector<std::uint8_t> outgoing_;

  mutable std::mutex mutex_;  // everything below (and closing socket_)
  std::unordered_map<std::uint32_t, peer> peers_;
  // Keyed participants by group: a packet goes to its sender's group only, so forwarding costs
  // what that call holds, not what the whole server holds.
  std::unordered_map<std::string, std::set<std::uint32_t>> groups_;
  relay_faults faults_;
  std::minstd_rand loss_random_{12345};
  stream_checker checker_;
  std::uint64_t datagrams_ = 0;
  std::uint64_t forwarded_ = 0;
  std::map<std::string, std::uint64_t, std::less<>> dropped_;
};

}  // namespace spence::net
