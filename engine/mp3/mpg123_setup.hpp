#pragma once
// A libmpg123 handle configured the way spence decodes MP3: 32-bit float at the stream's own rate
// and channel count, gapless, sample-exact seeking, bounded resync, silent. Private to engine/mp3.

#include <mpg123.h>

#include <memory>
#include <string_view>

namespace spence::engine {

struct mpg123_deleter {
  void operator()(mpg123_handle* handle) const noexcept { mpg123_delete(handle); }
};
using mpg123_ptr = std::unique_ptr<mpg123_handle, mpg123_deleter>;

// libmpg123 skips at most this much junk between frames before it reports a resync failure.
inline constexpr long mpg123_resync_limit = 64 * 1024;

// A fresh handle, not yet opened. Throws media_error(codec) naming source when libmpg123 refuses a
// setting (a build without gapless or float support).
mpg123_ptr make_mpg123_decoder(std::string_view source);

// Throws media_error for a libmpg123 failure `code` (a return value, or MPG123_ERR with the reason
// kept in the handle): malformed when the stream has no decodable frames, codec otherwise.
[[noreturn]] void throw_mpg123_error(mpg123_handle* handle, int code, std::string_view source,
                                     std::string_view detail);

}  // namespace spence::engine
