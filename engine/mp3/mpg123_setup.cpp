#include "engine/mp3/mpg123_setup.hpp"

#include "engine/media_error.hpp"

#include <fmt/format.h>

namespace spence::engine {
namespace {

// mpg123_init() is a documented no-op since libmpg123 1.27 (API version 46; Debian bookworm ships
// 1.31, API 47). Older versions required exactly one call before the first handle, so it is made
// once, behind the thread-safe initialisation of a function-local static.
void init_library_once(std::string_view source) {
  static const int init_result = mpg123_init();
  if (init_result != MPG123_OK)
    throw media_error(media_errc::codec, source,
                      fmt::format("libmpg123 initialisation failed: {}", mpg123_plain_strerror(init_result)));
}

void check(mpg123_handle* handle, int result, std::string_view source, std::string_view setting) {
  if (result != MPG123_OK) throw_mpg123_error(handle, result, source, fmt::format("setting {}", setting));
}

}  // namespace

mpg123_ptr make_mpg123_decoder(std::string_view source) {
  init_library_once(source);
  int error = MPG123_OK;
  mpg123_ptr handle(mpg123_new(nullptr, &error));
  if (!handle)
    throw media_error(media_errc::codec, source,
                      fmt::format("libmpg123 handle creation failed: {}", mpg123_plain_strerror(error)));
  mpg123_handle* h = handle.get();
  // The flags are set as a whole, so everything not named is off: no fuzzy (guessed) seeks, no
  // internal resampling, no mono/stereo forcing, no printing to stderr. Gapless trims the encoder
  // delay and padding that a LAME/Info tag declares. ID3v2 tags are skipped, not stored: a tag can
  // hold megabytes of album art that spence never shows.
  check(h, mpg123_param(h, MPG123_FLAGS, MPG123_QUIET | MPG123_GAPLESS | MPG123_SKIP_ID3V2, 0), source,
        "decoder flags");
  check(h, mpg123_param(h, MPG123_RESYNC_LIMIT, mpg123_resync_limit, 0), source, "resync limit");
  // Float output only, every native rate, mono or stereo as the stream says.
  check(h, mpg123_format_none(h), source, "output formats");
  check(h, mpg123_format2(h, 0, MPG123_MONO | MPG123_STEREO, MPG123_ENC_FLOAT_32), source, "float output");
  return handle;
}

void throw_mpg123_error(mpg123_handle* handle, int code, std::string_view source, std::string_view detail) {
  const int reason = code == MPG123_ERR && handle != nullptr ? mpg123_errcode(handle) : code;
  const bool bad_stream = reason == MPG123_RESYNC_FAIL || reason == MPG123_OUT_OF_SYNC;
  throw media_error(bad_stream ? media_errc::malformed : media_errc::codec, source,
                    fmt::format("{}: libmpg123: {}", detail, mpg123_plain_strerror(reason)));
}

}  // namespace spence::engine
