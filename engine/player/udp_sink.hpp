#pragma once
// A sink that sends each packet as one UDP datagram to a fixed destination: a plain transport for
// tools and tests that listen to a player (the voice connection, with RTP and encryption, is its
// own sink). The datagram is
//
//   bytes 0-7   the frame index, big-endian (a receiver checks continuity and order with it)
//   bytes 8-    the Opus packet, as produced
//
// The socket is non-blocking and connected, so send() never waits. A packet the socket cannot take
// now (would block) goes into a packet_queue of 50, and so does every newer packet until the
// queue drains: the queue is sent first on the next send() or flush(), so packets leave in frame
// order; when it is full the oldest queued packet is dropped. Any other send error (Linux reports
// "connection refused" on a connected UDP socket once an ICMP port-unreachable came back, and
// discards the packet of that send) drops the packet; nothing is thrown, and the first failure
// of each error code is logged, the rest are only counted.

#include "engine/player/packet_queue.hpp"
#include "engine/player/packet_sink.hpp"

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/generic/datagram_protocol.hpp>
#include <boost/asio/ip/udp.hpp>
#include <boost/system/error_code.hpp>

#include <string>
#include <vector>

namespace spence::engine {

class udp_sink final : public packet_sink {
 public:
  static constexpr std::size_t header_bytes = 8;

  // Opens a non-blocking UDP socket connected to `destination`. Throws boost::system::system_error
  // when the socket cannot be opened or connected.
  udp_sink(const boost::asio::any_io_executor& executor, const boost::asio::ip::udp::endpoint& destination);
  // The same over any datagram socket, `name` standing for the destination in logs. Loopback UDP
  // never reports would-block (Linux frees a datagram's send buffer as soon as loopback takes it),
  // so the tests reach the queueing path through a Unix datagram socket whose reader lags.
  udp_sink(const boost::asio::any_io_executor& executor,
           const boost::asio::generic::datagram_protocol::endpoint& destination, std::string name);

  void send(const outgoing_frame& frame) override;
  // Sends what is queued until the socket would block; what is left stays queued for the next
  // send() or flush(). Never waits.
  void flush() override;
  sink_counters counters() const override { return {.sent = sent_, .dropped = failed_ + queue_.dropped()}; }

  // Packets waiting for the socket.
  std::size_t queued() const noexcept { return queue_.size(); }

 private:
  transmit_outcome transmit(std::uint64_t frame, std::span<const std::uint8_t> opus);
  void log_first(const boost::system::error_code& error);

  boost::asio::generic::datagram_protocol::socket socket_;
  std::string name_;
  packet_queue queue_;
  std::vector<boost::system::error_code> logged_errors_;
  std::uint64_t sent_ = 0;
  std::uint64_t failed_ = 0;  // packets a send error dropped (queue overflow is counted by queue_)
};

}  // namespace spence::engine
