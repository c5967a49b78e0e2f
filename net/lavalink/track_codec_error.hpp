#pragma once
// Why an encoded track could not be read or written: a code (its own category, so callers can
// count by reason) and the field it concerns ("title", "uri", "position"). Lavalink answers any of
// these with its "Failed to decode track" error; the field makes our log line say where.

#include <boost/system/error_code.hpp>
#include <boost/system/result.hpp>

#include <string>
#include <type_traits>

namespace spence::net::lavalink {

enum class track_codec_errc {
  bad_base64 = 1,         // not standard base64 (alphabet A-Z a-z 0-9 + /, '=' padding at the end only)
  truncated,              // the bytes end before the header's size, or a field runs past the message
  empty_message,          // the header announces no bytes: lavaplayer's "no track here"
  trailing_bytes,         // bytes after the message the header announces
  unknown_version,        // a versioned message whose version is not 1, 2 or 3
  bad_utf8,               // a string that is not valid (modified) UTF-8, or holds an unpaired surrogate
  string_too_long,        // a string over 65535 bytes in modified UTF-8 (Java's writeUTF limit)
  bad_source_data,        // an http or local track whose source bytes are not one probe string
  message_too_large,      // more bytes than the header's 30-bit size can announce
};

const boost::system::error_category& track_codec_category() noexcept;

inline boost::system::error_code make_error_code(track_codec_errc e) noexcept {
  return {static_cast<int>(e), track_codec_category()};
}

struct track_codec_error {
  boost::system::error_code code;
  std::string field;  // "title", "source_data"; empty when the message as a whole is wrong

  // "truncated encoded track (at title)", "encoded track is not valid base64".
  std::string message() const;
  friend bool operator==(const track_codec_error&, const track_codec_error&) = default;
};

// What boost::system::result<T, track_codec_error>::value() throws: a system_error with the message.
[[noreturn]] void throw_exception_from_error(const track_codec_error& e, const boost::source_location& where);

template <typename T>
using track_codec_result = boost::system::result<T, track_codec_error>;

}  // namespace spence::net::lavalink

template <>
struct boost::system::is_error_code_enum<spence::net::lavalink::track_codec_errc> : std::true_type {};
