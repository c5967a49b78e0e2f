#include "engine/media_error.hpp"

#include <fmt/format.h>

namespace spence::engine {
namespace {

class category final : public boost::system::error_category {
 public:
  const char* name() const noexcept override { return "spence.media"; }
  std::string message(int ev) const override {
    switch (static_cast<media_errc>(ev)) {
      case media_errc::io: return "I/O error";
      case media_errc::truncated: return "truncated input";
      case media_errc::malformed: return "malformed input";
      case media_errc::unsupported_format: return "unsupported container format";
      case media_errc::unsupported_codec: return "unsupported codec";
      case media_errc::limit_exceeded: return "input exceeds a limit";
      case media_errc::not_seekable: return "source cannot seek";
      case media_errc::http_status: return "HTTP error status";
      case media_errc::timeout: return "timed out";
      case media_errc::network: return "network error";
      case media_errc::codec: return "codec error";
    }
    return "unknown spence.media error";
  }
};

}  // namespace

const boost::system::error_category& media_category() noexcept {
  static const category instance;
  return instance;
}

media_error::media_error(media_errc code, std::string_view source, std::string_view detail)
    : std::runtime_error(fmt::format("{}: {}", source, detail)), code_(code), source_(source) {}

media_error::media_error(std::string_view source, std::string_view detail, int http_status)
    : media_error(media_errc::http_status, source, detail) {
  http_status_ = http_status;
}

}  // namespace spence::engine
