// libFuzzer target for what net/voice parses from UDP: RTP packets (split for the rtpsize modes,
// then the payload cut out of a "plaintext" taken from the same bytes), RTCP detection and IP
// discovery datagrams. Beyond "no crash": the split covers the datagram exactly and the payload
// lies inside the plaintext.

#include "net/voice/ip_discovery.hpp"
#include "net/voice/rtp_packet.hpp"

#include <cstdint>
#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::span<const std::uint8_t> input(data, size);
  (void)spence::net::is_rtcp(input);
  if (auto v = spence::net::parse_rtp(input)) {
    if (v->authenticated.size() + v->rest.size() != size) std::abort();
    if (auto payload = spence::net::rtp_payload(*v, v->rest)) {
      if (payload->data() < v->rest.data() || payload->data() + payload->size() > v->rest.data() + v->rest.size())
        std::abort();
    }
  }
  if (auto found = spence::net::parse_ip_discovery_response(input)) {
    if (found->address.empty() || found->address.size() > 63) std::abort();
  }
  (void)spence::net::parse_ip_discovery_request(input);
  return 0;
}
