#include "net/dave/protocol_frame.hpp"

#include "net/dave/frame_cipher.hpp"
#include "net/dave/uleb128.hpp"

#include <boost/throw_exception.hpp>

#include <limits>
#include <stdexcept>
#include <string>

namespace spence::net::dave {
namespace {

// The (offset, size) pairs filling `in` exactly; they must lie in order, apart, inside the media.
boost::system::result<std::vector<unencrypted_range>, frame_rejection> read_ranges(mls::bytes_view in,
                                                                                 std::size_t media_size) {
  std::vector<unencrypted_range> ranges;
  std::uint64_t free_from = 0;  // where the next range may start
  while (!in.empty()) {
    const auto offset = read_uleb128(in);
    const auto size = offset ? read_uleb128(in) : std::nullopt;
    if (!size) return frame_rejection::bad_unencrypted_ranges;
    // offset + size compared without overflow: both are below 2^64, media_size far below.
    if (*offset < free_from || *offset > media_size || *size > media_size - *offset) {
      return frame_rejection::bad_unencrypted_ranges;
    }
    free_from = *offset + *size;
    ranges.push_back({*offset, *size});
  }
  return ranges;
}

}  // namespace

boost::system::result<protocol_frame, frame_rejection> parse_protocol_frame(mls::bytes_view frame) {
  if (frame.size() < min_supplemental_size) return frame_rejection::too_short;
  if (frame[frame.size() - 1] != magic_marker_byte || frame[frame.size() - 2] != magic_marker_byte) {
    return frame_rejection::no_magic_marker;
  }
  const std::size_t supplemental_size = frame[frame.size() - 3];
  if (supplemental_size < min_supplemental_size || supplemental_size > frame.size()) {
    return frame_rejection::bad_supplemental_size;
  }
  protocol_frame parsed;
  const std::size_t media_size = frame.size() - supplemental_size;
  parsed.media = frame.first(media_size);
  parsed.tag = frame.subspan(media_size, truncated_tag_size);
  // Between the tag and the size byte: the nonce, then the ranges.
  mls::bytes_view rest = frame.subspan(media_size + truncated_tag_size, supplemental_size - min_supplemental_size);
  const auto nonce = read_uleb128(rest);
  if (!nonce || *nonce > std::numeric_limits<std::uint32_t>::max()) return frame_rejection::bad_nonce;
  parsed.truncated_nonce = static_cast<std::uint32_t>(*nonce);
  auto ranges = read_ranges(rest, media_size);
  if (!ranges) return ranges.error();
  parsed.unencrypted_ranges = *std::move(ranges);
  return parsed;
}

std::size_t opus_supplemental_tail_size(std::uint32_t truncated_nonce) noexcept {
  return uleb128_size(truncated_nonce) + 1 + magic_marker_size;
}

void write_opus_supplemental_tail(std::uint32_t truncated_nonce, std::uint8_t* out) noexcept {
  const std::size_t nonce_size = write_uleb128(truncated_nonce, out);
  // At most 8 + 5 + 1 + 2 = 16: always fits the size byte.
  out[nonce_size] = static_cast<std::uint8_t>(truncated_tag_size + nonce_size + 1 + magic_marker_size);
  out[nonce_size + 1] = magic_marker_byte;
  out[nonce_size + 2] = magic_marker_byte;
}

std::uint32_t wrapped_generation(std::uint32_t oldest, std::uint32_t generation_byte) noexcept {
  const std::uint32_t wraps = oldest / generation_wrap + (generation_byte < oldest % generation_wrap ? 1 : 0);
  return wraps * generation_wrap + generation_byte;
}

std::uint64_t wrapped_nonce(std::uint32_t generation, std::uint32_t truncated_nonce) noexcept {
  constexpr std::uint32_t low_bits = (std::uint32_t{1} << generation_shift) - 1;
  return std::uint64_t{generation} << generation_shift | (truncated_nonce & low_bits);
}

void throw_exception_from_error(frame_rejection reason, const boost::source_location& where) {
  boost::throw_exception(std::runtime_error("DAVE frame rejected: " + std::string(frame_rejection_name(reason))), where);
}

}  // namespace spence::net::dave
