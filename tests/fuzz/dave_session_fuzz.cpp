// libFuzzer target for DAVE's two ends of the voice gateway: a member's dave_session fed the
// gateway's messages (ops 21, 22, 24, 25, 27, 29, 30) and the gateway's dave_gateway_group fed
// members' (ops 23, 26, 28, 31), whatever their bytes. The input is a sequence of records
//   op selector (1 byte) | length (1 byte) | that many bytes
// applied in order to one session and one gateway, so sequences (an external sender, then
// proposals, then a commit) are reachable. Beyond "no crash": each answer is a well-formed
// message for the gateway, and both ends still report their stats.

#include "net/dave/dave_gateway_group.hpp"
#include "net/dave/dave_session.hpp"

#include <cstdint>
#include <cstdlib>

namespace {

using namespace spence::net;
using namespace spence::net::dave;

constexpr std::uint64_t channel = 927310423890473011;

std::uint16_t u16(mls::bytes_view bytes) { return bytes.size() < 2 ? 0 : static_cast<std::uint16_t>(bytes[0] << 8 | bytes[1]); }

void check(const std::vector<dave_gateway_message>& answers) {
  for (const auto& answer : answers) {
    const auto* binary = std::get_if<dave_binary_message>(&answer);
    if (binary && binary->op != voice_op::dave_mls_key_package && binary->op != voice_op::dave_mls_commit_welcome) std::abort();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  auto encryptor = std::make_shared<opus_frame_encryptor>();
  dave_session session(158049329150427136, channel, encryptor, "fuzz");
  session.on_clients_connect({"158533742254751744"});
  check(session.on_session_description(1, frame_clock::now()));
  dave_gateway_group gateway(channel);
  const auto now = frame_clock::now();
  for (std::size_t at = 0; at + 2 <= size;) {
    const std::uint8_t selector = data[at];
    const std::size_t length = std::min<std::size_t>(data[at + 1], size - at - 2);
    const mls::bytes_view body(data + at + 2, length);
    at += 2 + length;
    switch (selector % 11) {
      case 0: check(session.on_external_sender(body)); break;
      case 1: check(session.on_proposals(body)); break;
      case 2: check(session.on_announce_commit(body, now)); break;
      case 3: check(session.on_welcome(body, now)); break;
      case 4: check(session.on_prepare_transition({static_cast<std::uint16_t>(u16(body) & 1), u16(body.subspan(std::min<std::size_t>(2, body.size())))}, now)); break;
      case 5: session.on_execute_transition({u16(body)}, now); break;
      case 6: check(session.on_prepare_epoch({1, u16(body)}, now)); break;
      case 7: (void)gateway.on_key_package(u16(body), body); break;
      case 8: (void)gateway.on_commit_welcome(u16(body), body); break;
      case 9: (void)gateway.on_transition_ready(u16(body), u16(body.subspan(std::min<std::size_t>(2, body.size())))); break;
      case 10: (void)gateway.on_leave(u16(body)); break;
    }
  }
  (void)session.stats();
  (void)gateway.stats();
  return 0;
}
