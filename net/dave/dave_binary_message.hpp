#pragma once
// A DAVE message that travels as a binary voice gateway frame (ops 25-30): its opcode and payload,
// the frame's envelope (the server's sequence number) added when it is written.

#include "net/dave/mls/bytes.hpp"
#include "net/voice/voice_gateway_payloads.hpp"

namespace spence::net::dave {

struct dave_binary_message {
  voice_op op{};
  mls::bytes payload;
  friend bool operator==(const dave_binary_message&, const dave_binary_message&) = default;
};

}  // namespace spence::net::dave
