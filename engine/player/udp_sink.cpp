#include "engine/player/udp_sink.hpp"

#include <boost/asio/buffer.hpp>
#include <boost/asio/error.hpp>

#include <spdlog/spdlog.h>

#include <algorithm>
#include <array>

namespace spence::engine {

namespace asio = boost::asio;

udp_sink::udp_sink(const asio::any_io_executor& executor, const asio::ip::udp::endpoint& destination)
    : udp_sink(executor, asio::generic::datagram_protocol::endpoint(destination),
               destination.address().to_string() + ":" + std::to_string(destination.port())) {}

udp_sink::udp_sink(const asio::any_io_executor& executor, const asio::generic::datagram_protocol::endpoint& destination,
                   std::string name)
    : socket_(executor, destination.protocol()), name_(std::move(name)) {
  socket_.non_blocking(true);
  socket_.connect(destination);
}

void udp_sink::send(const outgoing_frame& frame) {
  queue_.send_in_order(frame.frame, frame.deadline, frame.opus,
                       [this](std::uint64_t f, std::span<const std::uint8_t> opus) { return transmit(f, opus); });
}

void udp_sink::flush() {
  queue_.drain([this](std::uint64_t f, std::span<const std::uint8_t> opus) { return transmit(f, opus); });
}

transmit_outcome udp_sink::transmit(std::uint64_t frame, std::span<const std::uint8_t> opus) {
  std::array<std::uint8_t, header_bytes> header;
  for (std::size_t i = 0; i < header_bytes; ++i) header[i] = static_cast<std::uint8_t>(frame >> (8 * (header_bytes - 1 - i)));
  const std::array<asio::const_buffer, 2> datagram{asio::buffer(header), asio::buffer(opus.data(), opus.size())};
  boost::system::error_code error;
  socket_.send(datagram, 0, error);
  if (!error) {
    ++sent_;
    return transmit_outcome::sent;
  }
  if (error == asio::error::would_block || error == asio::error::try_again) return transmit_outcome::would_block;
  ++failed_;
  log_first(error);
  return transmit_outcome::failed;
}

void udp_sink::log_first(const boost::system::error_code& error) {
  if (std::find(logged_errors_.begin(), logged_errors_.end(), error) != logged_errors_.end()) return;
  logged_errors_.push_back(error);
  spdlog::warn("UDP sink to {}: {}; dropping the packet (further packets failing this way are only counted)", name_,
               error.message());
}

}  // namespace spence::engine
