#pragma once
// Errors of the audio engine. Every failure names the source (a path or a URL without credentials)
// and says why, so a bad track ends with a message a user can act on, never a crash.

#include <boost/system/error_code.hpp>

#include <stdexcept>
#include <string>
#include <string_view>

namespace spence::engine {

enum class media_errc {
  io = 1,              // the operating system refused a read, open or seek
  truncated,           // the input ended inside a structure that promised more bytes
  malformed,           // the bytes contradict the container's or codec's rules
  unsupported_format,  // a container spence does not read (MP4, FLAC, ...)
  unsupported_codec,   // a known container carrying a codec spence does not decode (Vorbis, AAC, ...)
  limit_exceeded,      // an element, header or nesting depth beyond the bounds spence accepts
  not_seekable,        // a seek on a source that cannot seek (a live stream, a pipe)
  http_status,         // the server answered with an error status
  timeout,             // no progress within the configured time
  network,             // the connection failed or broke and could not be resumed
  codec,               // libopus, libmpg123 or libsamplerate reported an error
};

const boost::system::error_category& media_category() noexcept;

inline boost::system::error_code make_error_code(media_errc e) noexcept {
  return {static_cast<int>(e), media_category()};
}

// Thrown by sources, demuxers and codecs. what() reads "<source>: <detail>".
class media_error : public std::runtime_error {
 public:
  media_error(media_errc code, std::string_view source, std::string_view detail);
  // An http_status error with the status the server gave (a stream URL that expired says 403 or 410).
  media_error(std::string_view source, std::string_view detail, int http_status);

  media_errc code() const noexcept { return code_; }
  const std::string& source() const noexcept { return source_; }
  // The HTTP status of an http_status error; 0 otherwise.
  int http_status() const noexcept { return http_status_; }

 private:
  media_errc code_;
  std::string source_;
  int http_status_ = 0;
};

}  // namespace spence::engine

template <>
struct boost::system::is_error_code_enum<spence::engine::media_errc> : std::true_type {};
