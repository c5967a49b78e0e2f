#pragma once
// Discord's UDP IP discovery: a 74-byte datagram (type 1 request / 2 response, length 70, SSRC, a
// 64-byte NUL-terminated address, port; all big-endian), sent from the voice socket to the address
// in Ready so the server tells the client its public address and port. The emulator answers it.

#include <boost/system/result.hpp>

#include <array>
#include <cstdint>
#include <span>
#include <string>

namespace spence::net {

inline constexpr std::size_t ip_discovery_bytes = 74;

struct discovered_address {
  std::uint32_t ssrc = 0;
  std::string address;
  std::uint16_t port = 0;
};

std::array<std::uint8_t, ip_discovery_bytes> ip_discovery_request(std::uint32_t ssrc);
// Throws std::invalid_argument for an address longer than 63 bytes.
std::array<std::uint8_t, ip_discovery_bytes> ip_discovery_response(const discovered_address& found);

// The SSRC of a request. Error: malformed (wrong size, type or length).
boost::system::result<std::uint32_t> parse_ip_discovery_request(std::span<const std::uint8_t> datagram);
// Error: malformed (wrong size, type, length, or an address without its NUL).
boost::system::result<discovered_address> parse_ip_discovery_response(std::span<const std::uint8_t> datagram);

}  // namespace spence::net
