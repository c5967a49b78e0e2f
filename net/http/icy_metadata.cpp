#include "net/http/icy_metadata.hpp"

#include "engine/media_error.hpp"

#include <algorithm>

namespace spence::net {
namespace {

constexpr std::size_t max_value_bytes = 1024;

// Whether `text` is well-formed UTF-8 (no overlongs, surrogates or code points past U+10FFFF).
bool is_utf8(std::string_view text) {
  for (std::size_t i = 0; i < text.size();) {
    const auto c = static_cast<unsigned char>(text[i]);
    const std::size_t length = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 0;
    if (length == 0 || i + length > text.size()) return false;
    std::uint32_t code = length == 1 ? c : c & (0x7F >> length);
    for (std::size_t k = 1; k < length; ++k) {
      const auto next = static_cast<unsigned char>(text[i + k]);
      if ((next & 0xC0) != 0x80) return false;
      code = (code << 6) | (next & 0x3F);
    }
    static constexpr std::uint32_t least[] = {0, 0, 0x80, 0x800, 0x10000};
    if (code < least[length] || code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF)) return false;
    i += length;
  }
  return true;
}

void append_latin1(std::string& out, unsigned char c) {
  if (c < 0x80) {
    out += static_cast<char>(c);
  } else {
    out += static_cast<char>(0xC0 | (c >> 6));
    out += static_cast<char>(0x80 | (c & 0x3F));
  }
}

}  // namespace

std::string icy_text_to_utf8(std::string_view text) {
  const bool utf8 = is_utf8(text);
  std::string out;
  out.reserve(text.size());
  for (const char ch : text) {
    const auto c = static_cast<unsigned char>(ch);
    if (c < 0x20 || c == 0x7F) continue;
    if (utf8)
      out += ch;
    else
      append_latin1(out, c);
  }
  return out;
}

boost::system::result<icy_fields> parse_icy_metadata(std::string_view block) {
  while (!block.empty() && (block.back() == '\0' || block.back() == ' ' || block.back() == '\n')) block.remove_suffix(1);
  icy_fields fields;
  while (!block.empty()) {
    const std::size_t equals = block.find('=');
    if (equals == std::string_view::npos || equals == 0 || equals + 1 >= block.size() || block[equals + 1] != '\'')
      return make_error_code(engine::media_errc::malformed);
    const std::string_view key = block.substr(0, equals);
    block.remove_prefix(equals + 2);
    const std::size_t end = block.find("';");
    std::string_view value = block.substr(0, end);
    if (end == std::string_view::npos) {
      if (!value.ends_with('\'')) return make_error_code(engine::media_errc::malformed);
      value.remove_suffix(1);
      block = {};
    } else {
      block.remove_prefix(end + 2);
    }
    std::string text = icy_text_to_utf8(value.substr(0, max_value_bytes));
    if (key == "StreamTitle") fields.stream_title = std::move(text);
    else if (key == "StreamUrl") fields.stream_url = std::move(text);
  }
  return fields;
}

icy_demuxer::icy_demuxer(std::uint64_t metaint) : metaint_(std::max<std::uint64_t>(metaint, 1)), audio_left_(metaint_) {}

void icy_demuxer::feed(std::span<const std::uint8_t> bytes, std::vector<std::uint8_t>& audio,
                       std::vector<std::string>& blocks) {
  while (!bytes.empty()) {
    if (audio_left_ > 0) {
      const auto n = static_cast<std::size_t>(std::min<std::uint64_t>(audio_left_, bytes.size()));
      audio.insert(audio.end(), bytes.begin(), bytes.begin() + static_cast<std::ptrdiff_t>(n));
      audio_left_ -= n;
      bytes = bytes.subspan(n);
    } else if (meta_left_ == 0 && meta_.empty()) {
      // The length byte: 16 * L bytes follow (at most 4080).
      meta_left_ = std::size_t{bytes.front()} * 16;
      bytes = bytes.subspan(1);
      if (meta_left_ == 0) audio_left_ = metaint_;
    } else {
      const std::size_t n = std::min(meta_left_, bytes.size());
      meta_.append(reinterpret_cast<const char*>(bytes.data()), n);
      meta_left_ -= n;
      bytes = bytes.subspan(n);
      if (meta_left_ == 0) {
        blocks.push_back(std::move(meta_));
        meta_.clear();
        audio_left_ = metaint_;
      }
    }
  }
}

}  // namespace spence::net
