#pragma once
// A guild player's packets onto its voice connection (the sink outlives connections: a player
// keeps its sink when its guild's connection is replaced, e.g. moved to another server): each 20 ms Opus packet becomes an RTP
// packet, encrypted with the session's transport key and sent as one UDP datagram to the voice
// server, on the player's tick (the caller's thread), never waiting. The voice connection
// attaches a transport once the session is described (SSRC, mode, key, the server's address, a
// socket bound where IP discovery was done) and detaches it while it reconnects; packets played
// meanwhile are dropped and counted, and the player goes on, so after a reconnect it continues
// from where it is. A new SSRC (a fresh session) starts a new RTP stream; a new key alone (a
// rekey, a resumed session) keeps the stream.
//
// RTP timestamps follow the player's frame clock (rtp_packetizer). Frames must only go forward;
// the five silence frames Discord asks for after audio take the frames after the last audio
// frame, so a player resuming within those 100 ms has its frames moved past them.
//
// A packet the socket cannot take now (would block) waits, encrypted, in a packet_queue of one
// second, as packet_sink promises. Thread-safe: the player's shard sends while the connection's strand
// attaches, detaches and paces the silence.

#include "engine/player/packet_queue.hpp"
#include "engine/player/packet_sink.hpp"
#include "net/voice/frame_encryptor.hpp"
#include "net/voice/rtp_packetizer.hpp"
#include "net/voice/transport_cipher.hpp"

#include <boost/asio/ip/udp.hpp>
#include <boost/json/object.hpp>

#include <array>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>

namespace spence::net {

struct voice_transport {
  std::uint32_t ssrc = 0;
  transport_mode mode = transport_mode::aead_aes256_gcm_rtpsize;
  std::array<std::uint8_t, transport_key_bytes> key{};
  boost::asio::ip::udp::endpoint server;
};

class voice_sink final : public engine::packet_sink {
 public:
  // `seed` seeds each new stream's first sequence number and timestamp; `queue_packets` bounds
  // what waits for a busy socket (1 to packet_queue::max_capacity; throws std::invalid_argument).
  explicit voice_sink(std::uint32_t seed, std::size_t queue_packets = engine::packet_queue::max_capacity);
  ~voice_sink() override;

  // Installs the transport. `socket` is the connection's UDP socket, duplicated: the sink sends
  // on its own descriptor of it, connected to the server, so a send skips the route lookup and
  // the address copy of sendto. The descriptor is a plain one, in no reactor: a socket registered
  // twice in epoll would run two wake-up callbacks for every datagram the sink sends. The socket is shared, so it is connected for the connection too:
  // from then on the kernel passes it the server's datagrams only. `audio_ended` is called (on
  // the thread that flushed) when the player's audio stops and silence frames are owed; the
  // connection then paces them with send_silence(). Throws boost::system::system_error when the
  // socket cannot be duplicated or connected. `owner` (the connection) is who may detach it.
  void attach(const voice_transport& transport, boost::asio::ip::udp::socket& socket,
              std::function<void()> audio_ended, const void* owner);
  // No transport until the next attach: packets are dropped and counted as `disconnected`. Does
  // nothing when another owner attached since (a connection replaced by the next one).
  void detach(const void* owner);

  // Frames pass through `encryptor` (DAVE's frame layer) before RTP; null: sent as they are. A
  // frame it cannot encrypt is dropped and counted as `unencryptable`.
  void set_frame_encryptor(std::shared_ptr<frame_encryptor> encryptor);

  void send(const engine::outgoing_frame& frame) override;
  void flush() override;
  engine::sink_counters counters() const override;

  // Sends one owed silence frame; returns whether more are owed.
  bool send_silence();

  // Whether a transport is attached (the connection is ready).
  bool attached() const;
  // {"attached", "ssrc", "sent", "silence", "disconnected", "unencryptable", "would_block_dropped",
  // "failed", "queued"}
  boost::json::object stats() const;

 private:
  engine::transmit_outcome transmit(std::span<const std::uint8_t> datagram);  // an audio packet, counted
  engine::transmit_outcome put_on_wire(std::span<const std::uint8_t> packet);
  std::uint64_t next_frame(std::uint64_t frame) const noexcept;

  std::uint32_t seed_;

  mutable std::mutex mutex_;  // everything below
  std::function<void()> audio_ended_;
  const void* owner_ = nullptr;
  std::shared_ptr<frame_encryptor> encryptor_;
  std::vector<std::uint8_t> encrypted_frame_;
  int socket_ = -1;  // our duplicate of the connection's socket; -1 while detached
  boost::asio::ip::udp::endpoint server_;
  std::unique_ptr<transport_cipher> cipher_;
  std::unique_ptr<rtp_packetizer> packetizer_;
  std::optional<std::uint64_t> last_frame_;  // the frame index of the last packet of this stream
  engine::packet_queue queue_;
  std::uint64_t sent_ = 0;
  std::uint64_t silence_ = 0;
  std::uint64_t disconnected_ = 0;
  std::uint64_t unencryptable_ = 0;
  std::uint64_t failed_ = 0;
  bool failure_logged_ = false;
};

}  // namespace spence::net
