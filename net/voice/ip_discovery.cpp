#include "net/voice/ip_discovery.hpp"

#include "net/voice/voice_error.hpp"

#include <algorithm>
#include <stdexcept>

namespace spence::net {
namespace {

constexpr std::uint16_t request_type = 1;
constexpr std::uint16_t response_type = 2;
constexpr std::uint16_t body_length = 70;
constexpr std::size_t address_offset = 8;
constexpr std::size_t address_bytes = 64;
constexpr std::size_t port_offset = 72;

std::array<std::uint8_t, ip_discovery_bytes> datagram(std::uint16_t type, std::uint32_t ssrc) {
  std::array<std::uint8_t, ip_discovery_bytes> d{};
  d[0] = static_cast<std::uint8_t>(type >> 8);
  d[1] = static_cast<std::uint8_t>(type);
  d[2] = static_cast<std::uint8_t>(body_length >> 8);
  d[3] = static_cast<std::uint8_t>(body_length);
  for (int i = 0; i < 4; ++i) d[4 + static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(ssrc >> (24 - 8 * i));
  return d;
}

// The SSRC of a datagram of `type`, or malformed.
boost::system::result<std::uint32_t> header_of(std::span<const std::uint8_t> d, std::uint16_t type) {
  if (d.size() != ip_discovery_bytes || (d[0] << 8 | d[1]) != type || (d[2] << 8 | d[3]) != body_length)
    return voice_errc::malformed;
  return std::uint32_t{d[4]} << 24 | std::uint32_t{d[5]} << 16 | std::uint32_t{d[6]} << 8 | d[7];
}

}  // namespace

std::array<std::uint8_t, ip_discovery_bytes> ip_discovery_request(std::uint32_t ssrc) {
  return datagram(request_type, ssrc);
}

std::array<std::uint8_t, ip_discovery_bytes> ip_discovery_response(const discovered_address& found) {
  if (found.address.size() >= address_bytes)
    throw std::invalid_argument("an IP discovery address has at most 63 bytes");
  auto d = datagram(response_type, found.ssrc);
  std::copy(found.address.begin(), found.address.end(), d.begin() + address_offset);
  d[port_offset] = static_cast<std::uint8_t>(found.port >> 8);
  d[port_offset + 1] = static_cast<std::uint8_t>(found.port);
  return d;
}

boost::system::result<std::uint32_t> parse_ip_discovery_request(std::span<const std::uint8_t> datagram) {
  return header_of(datagram, request_type);
}

boost::system::result<discovered_address> parse_ip_discovery_response(std::span<const std::uint8_t> datagram) {
  auto ssrc = header_of(datagram, response_type);
  if (!ssrc) return ssrc.error();
  const auto address = datagram.subspan(address_offset, address_bytes);
  const auto end = std::find(address.begin(), address.end(), std::uint8_t{0});
  if (end == address.end() || end == address.begin()) return voice_errc::malformed;
  return discovered_address{*ssrc, std::string(address.begin(), end),
                            static_cast<std::uint16_t>(datagram[port_offset] << 8 | datagram[port_offset + 1])};
}

}  // namespace spence::net
