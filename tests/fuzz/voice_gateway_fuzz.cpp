// libFuzzer target for the voice gateway payloads: the input read as a server message, a client
// message and a binary frame each way. Beyond "no crash": whatever reads is written again and
// reads back to the same message (and seq), and a binary frame is written back to the same bytes.

#include "net/voice/voice_gateway_payloads.hpp"

#include <cstdint>
#include <algorithm>
#include <cstdlib>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace spence::net;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const std::span<const std::uint8_t> input(data, size);

  if (auto server = parse_voice_server_message(text)) {
    auto again = parse_voice_server_message(serialize_voice_server_message(server->message, server->seq));
    if (!again || *again != *server) std::abort();
    (void)describe(server->message);
  }
  if (auto client = parse_voice_client_message(text)) {
    auto again = parse_voice_client_message(serialize_voice_client_message(*client));
    if (!again || *again != *client) std::abort();
    (void)describe(*client);
  }
  std::vector<std::uint8_t> written;
  if (auto frame = parse_voice_server_binary_frame(input)) {
    write_voice_server_binary_frame(frame->seq, frame->op, frame->payload, written);
    if (!std::ranges::equal(written, input)) std::abort();
  }
  if (auto frame = parse_voice_client_binary_frame(input)) {
    write_voice_client_binary_frame(frame->op, frame->payload, written);
    if (!std::ranges::equal(written, input)) std::abort();
  }
  return 0;
}
