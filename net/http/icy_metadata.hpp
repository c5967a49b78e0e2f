#pragma once
// Icecast/SHOUTcast "ICY" metadata. A server asked with "Icy-MetaData: 1" that answers with
// "icy-metaint: N" interleaves its audio with metadata blocks: N audio bytes, one length byte L,
// 16*L bytes of text such as `StreamTitle='Artist - Song';StreamUrl='';` padded with NULs, then N
// audio bytes again. icy_demuxer takes them apart so the demuxer sees the audio alone;
// parse_icy_metadata reads a block's text. Both take bytes from the network: no input crashes,
// over-long values are cut, and text that is not UTF-8 is read as Latin-1 (what older servers send).

#include <boost/system/result.hpp>

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace spence::net {

struct icy_fields {
  std::optional<std::string> stream_title;  // UTF-8, control characters dropped, at most 1024 bytes
  std::optional<std::string> stream_url;

  bool operator==(const icy_fields&) const = default;
};

// A block's text (NUL padding allowed): `Key='value';` pairs, where a value ends at the first `';`
// (titles hold apostrophes) or at the end of the text. Unknown keys are skipped. media_errc::malformed
// for text that is not such pairs.
boost::system::result<icy_fields> parse_icy_metadata(std::string_view block);

// Text in UTF-8: kept when it already is, read as Latin-1 otherwise; control characters dropped.
std::string icy_text_to_utf8(std::string_view text);

// Splits an interleaved ICY body. A value type: a caller that must be able to take a chunk back
// (curl redelivers a paused write) feeds a copy and keeps it only once the audio was accepted.
class icy_demuxer {
 public:
  // `metaint` > 0: audio bytes between blocks.
  explicit icy_demuxer(std::uint64_t metaint);

  // Appends the audio in `bytes` to `audio` and every metadata block completed in them (its text,
  // NUL padding included; empty blocks, the usual case, are not reported) to `blocks`.
  void feed(std::span<const std::uint8_t> bytes, std::vector<std::uint8_t>& audio, std::vector<std::string>& blocks);

 private:
  std::uint64_t metaint_;
  std::uint64_t audio_left_;    // audio bytes before the next length byte
  std::size_t meta_left_ = 0;   // metadata bytes still to come of the current block
  std::string meta_;            // the current block so far
};

}  // namespace spence::net
