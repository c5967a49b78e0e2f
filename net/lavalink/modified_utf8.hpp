#pragma once
// Java's "modified UTF-8" (java.io.DataOutput.writeUTF / DataInput.readUTF), in which lavaplayer
// writes every string of an encoded track. It encodes UTF-16 code units, not code points:
// - U+0000 is two bytes, C0 80, so an encoded string never holds a zero byte;
// - a character outside the Basic Multilingual Plane is its two surrogates, three bytes each
//   (ED A0-AF xx, ED B0-BF xx), where UTF-8 would write four bytes;
// - everything else is as in UTF-8.
// Our strings are UTF-8; these convert between the two. The 2-byte length prefix and its 65535
// limit belong to the caller (track_codec).
//
// Reading accepts what Java's readUTF accepts (a raw zero byte, overlong forms), except an
// unpaired surrogate, which a UTF-8 string cannot hold.

#include <boost/system/error_code.hpp>
#include <boost/system/result.hpp>

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace spence::net::lavalink {

// Appends `utf8` in modified UTF-8. Error: track_codec_errc::bad_utf8 when `utf8` is not valid
// UTF-8 (overlong forms, surrogates, code points past U+10FFFF, cut sequences); nothing is
// appended then.
boost::system::result<void> append_modified_utf8(std::string_view utf8, std::vector<std::uint8_t>& out);

// The UTF-8 of a modified UTF-8 string. Error: track_codec_errc::bad_utf8.
boost::system::result<std::string> modified_utf8_to_utf8(std::span<const std::uint8_t> bytes);

}  // namespace spence::net::lavalink
