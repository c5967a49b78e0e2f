#include "net/voice/voice_error.hpp"

#include <string>

namespace spence::net {
namespace {

class category final : public boost::system::error_category {
 public:
  const char* name() const noexcept override { return "spence.voice"; }
  std::string message(int ev) const override {
    switch (static_cast<voice_errc>(ev)) {
      case voice_errc::truncated: return "datagram shorter than its headers";
      case voice_errc::not_rtp: return "not an RTP version 2 packet";
      case voice_errc::unexpected_payload: return "RTP payload type is not Opus (120)";
      case voice_errc::bad_padding: return "RTP padding longer than the payload";
      case voice_errc::bad_extension: return "RTP header extension longer than the payload";
      case voice_errc::authentication_failed: return "transport decryption failed (wrong key, forged or damaged)";
      case voice_errc::malformed: return "malformed voice datagram";
    }
    return "unknown spence.voice error";
  }
};

}  // namespace

const boost::system::error_category& voice_category() noexcept {
  static const category instance;
  return instance;
}

}  // namespace spence::net
