#include "net/lavalink/track_codec_error.hpp"

#include <boost/system/system_error.hpp>
#include <boost/throw_exception.hpp>

namespace spence::net::lavalink {
namespace {

class category final : public boost::system::error_category {
 public:
  const char* name() const noexcept override { return "spence.track_codec"; }
  std::string message(int ev) const override {
    switch (static_cast<track_codec_errc>(ev)) {
      case track_codec_errc::bad_base64: return "encoded track is not valid base64";
      case track_codec_errc::truncated: return "truncated encoded track";
      case track_codec_errc::empty_message: return "encoded track holds no track (empty message)";
      case track_codec_errc::trailing_bytes: return "bytes after the encoded track's message";
      case track_codec_errc::unknown_version: return "unknown encoded track version (1 to 3 are known)";
      case track_codec_errc::bad_utf8: return "string is not valid (modified) UTF-8";
      case track_codec_errc::string_too_long: return "string longer than 65535 bytes of modified UTF-8";
      case track_codec_errc::bad_source_data: return "source data is not one probe string";
      case track_codec_errc::message_too_large: return "encoded track larger than its header can announce";
    }
    return "unknown spence.track_codec error";
  }
};

}  // namespace

const boost::system::error_category& track_codec_category() noexcept {
  static const category instance;
  return instance;
}

std::string track_codec_error::message() const {
  return field.empty() ? code.message() : code.message() + " (at " + field + ")";
}

void throw_exception_from_error(const track_codec_error& e, const boost::source_location& where) {
  boost::throw_exception(boost::system::system_error(e.code, e.message()), where);
}

}  // namespace spence::net::lavalink
