#include "net/dave/frame_rejection.hpp"

namespace spence::net::dave {

std::string_view frame_rejection_name(frame_rejection reason) noexcept {
  switch (reason) {
    case frame_rejection::too_short: return "too short";
    case frame_rejection::no_magic_marker: return "no magic marker";
    case frame_rejection::bad_supplemental_size: return "bad supplemental size";
    case frame_rejection::bad_nonce: return "bad nonce";
    case frame_rejection::bad_unencrypted_ranges: return "bad unencrypted ranges";
    case frame_rejection::no_key_ratchet: return "no key ratchet";
    case frame_rejection::replayed_nonce: return "replayed nonce";
    case frame_rejection::generation_expired: return "generation expired";
    case frame_rejection::generation_too_far: return "generation too far ahead";
    case frame_rejection::generation_beyond_age: return "generation beyond the ratchet's age";
    case frame_rejection::authentication_failed: return "authentication failed";
  }
  return "unknown";
}

}  // namespace spence::net::dave

static_assert(static_cast<std::size_t>(spence::net::dave::frame_rejection::authentication_failed) + 1 ==
                  spence::net::dave::frame_rejection_count,
              "frame_rejection_count counts every reason");
