#include "net/lavalink/track_codec.hpp"

#include "net/lavalink/base64.hpp"
#include "net/lavalink/modified_utf8.hpp"

namespace spence::net::lavalink {
namespace {

constexpr std::uint32_t versioned_flag = 1;
constexpr std::uint8_t written_version = 3;
constexpr std::size_t header_bytes = 4;
constexpr std::size_t position_bytes = 8;
constexpr std::uint32_t max_message_bytes = 0x3FFFFFFF;  // the header's 30-bit size
constexpr std::size_t max_utf_bytes = 0xFFFF;            // writeUTF's u16 length

track_codec_error error(track_codec_errc code, std::string field = {}) {
  return {make_error_code(code), std::move(field)};
}

// Java DataInput over one message. The first failure sticks: later reads return empty values and
// error() names the field that failed, so a decoder reads its fields in order and checks once.
class message_reader {
 public:
  explicit message_reader(std::span<const std::uint8_t> bytes) : bytes_(bytes) {}

  std::size_t remaining() const { return bytes_.size() - at_; }
  bool failed() const { return failure_.has_value(); }
  const track_codec_error& error() const { return *failure_; }

  std::span<const std::uint8_t> bytes(std::size_t count, const char* field) {
    if (failed()) return {};
    if (remaining() < count) {
      fail(track_codec_errc::truncated, field);
      return {};
    }
    const auto out = bytes_.subspan(at_, count);
    at_ += count;
    return out;
  }

  std::uint64_t big_endian(std::size_t count, const char* field) {
    std::uint64_t value = 0;
    for (const std::uint8_t b : bytes(count, field)) value = (value << 8) | b;
    return value;
  }

  std::int64_t int64(const char* field) { return static_cast<std::int64_t>(big_endian(8, field)); }

  // Java's readBoolean: any byte but 0 is true.
  bool boolean(const char* field) { return big_endian(1, field) != 0; }

  std::string utf(const char* field) {
    const auto length = static_cast<std::size_t>(big_endian(2, field));
    const auto raw = bytes(length, field);
    if (failed()) return {};
    auto text = modified_utf8_to_utf8(raw);
    if (!text) {
      fail(track_codec_errc::bad_utf8, field);
      return {};
    }
    return std::move(*text);
  }

  std::optional<std::string> nullable_utf(const char* field) {
    if (!boolean(field)) return std::nullopt;
    return utf(field);
  }

  void fail(track_codec_errc code, const char* field) {
    if (!failed()) failure_ = lavalink::error(code, field);
  }

 private:
  std::span<const std::uint8_t> bytes_;
  std::size_t at_ = 0;
  std::optional<track_codec_error> failure_;
};

// Java DataOutput into one buffer, the header filled in by finish(). The first failure sticks and
// finish() returns it.
class message_writer {
 public:
  message_writer() { out_.resize(header_bytes); }

  void big_endian(std::uint64_t value, std::size_t count) {
    for (std::size_t i = count; i-- > 0;) out_.push_back(static_cast<std::uint8_t>(value >> (8 * i)));
  }
  void int64(std::int64_t value) { big_endian(static_cast<std::uint64_t>(value), 8); }
  void boolean(bool value) { out_.push_back(value ? 1 : 0); }
  void bytes(std::span<const std::uint8_t> raw) { out_.insert(out_.end(), raw.begin(), raw.end()); }

  void utf(std::string_view text, const char* field) {
    if (failure_) return;
    const std::size_t length_at = out_.size();
    big_endian(0, 2);
    if (!append_modified_utf8(text, out_)) {
      failure_ = error(track_codec_errc::bad_utf8, field);
      return;
    }
    const std::size_t length = out_.size() - length_at - 2;
    if (length > max_utf_bytes) {
      failure_ = error(track_codec_errc::string_too_long, field);
      return;
    }
    out_[length_at] = static_cast<std::uint8_t>(length >> 8);
    out_[length_at + 1] = static_cast<std::uint8_t>(length);
  }

  void nullable_utf(const std::optional<std::string>& text, const char* field) {
    boolean(text.has_value());
    if (text) utf(*text, field);
  }

  track_codec_result<std::vector<std::uint8_t>> finish(std::uint32_t flags) {
    if (failure_) return *failure_;
    const std::size_t size = out_.size() - header_bytes;
    if (size > max_message_bytes) return error(track_codec_errc::message_too_large);
    const std::uint32_t header = (flags << 30) | static_cast<std::uint32_t>(size);
    for (std::size_t i = 0; i < header_bytes; ++i) out_[i] = static_cast<std::uint8_t>(header >> (8 * (3 - i)));
    return std::move(out_);
  }

 private:
  std::vector<std::uint8_t> out_;
  std::optional<track_codec_error> failure_;
};

// The source's bytes of an http or local track: nothing, or exactly one UTF string.
track_codec_result<std::optional<std::string>> read_probe_info(std::span<const std::uint8_t> source_bytes) {
  if (source_bytes.empty()) return std::optional<std::string>{};
  message_reader in(source_bytes);
  auto probe = in.utf("probe_info");
  if (in.failed() && in.error().code != track_codec_errc::truncated) return in.error();
  if (in.failed() || in.remaining() != 0) return error(track_codec_errc::bad_source_data, "probe_info");
  return std::optional<std::string>{std::move(probe)};
}

}  // namespace

bool has_probe_info(std::string_view source_name) noexcept { return source_name == "http" || source_name == "local"; }

track_codec_result<decoded_track> decode_track(std::string_view base64) {
  const auto message = base64_decode(base64);
  if (!message) return error(track_codec_errc::bad_base64);
  return decode_track_message(*message);
}

track_codec_result<decoded_track> decode_track_message(std::span<const std::uint8_t> message) {
  message_reader outer(message);
  const auto header = static_cast<std::uint32_t>(outer.big_endian(header_bytes, "header"));
  if (outer.failed()) return outer.error();
  const std::uint32_t flags = header >> 30;
  const std::size_t size = header & max_message_bytes;
  if (size == 0) return error(track_codec_errc::empty_message);
  if (outer.remaining() < size) return error(track_codec_errc::truncated, "message");
  if (outer.remaining() > size) return error(track_codec_errc::trailing_bytes);

  message_reader in(message.subspan(header_bytes));
  std::uint64_t version = 1;
  if (flags & versioned_flag) {
    version = in.big_endian(1, "version");
    if (!in.failed() && (version < 1 || version > 3)) in.fail(track_codec_errc::unknown_version, "version");
  }

  decoded_track track;
  track_info& info = track.info;
  info.title = in.utf("title");
  info.author = in.utf("author");
  info.length_ms = in.int64("length");
  info.identifier = in.utf("identifier");
  info.is_stream = in.boolean("is_stream");
  info.is_seekable = !info.is_stream;
  if (version >= 2) info.uri = in.nullable_utf("uri");
  if (version >= 3) {
    info.artwork_url = in.nullable_utf("artwork_url");
    info.isrc = in.nullable_utf("isrc");
  }
  info.source_name = in.utf("source_name");
  if (!in.failed() && in.remaining() < position_bytes) in.fail(track_codec_errc::truncated, "position");
  const auto source_bytes = in.bytes(in.remaining() - std::min(in.remaining(), position_bytes), "source_data");
  info.position_ms = in.int64("position");
  if (in.failed()) return in.error();

  if (has_probe_info(info.source_name)) {
    auto probe = read_probe_info(source_bytes);
    if (!probe) return probe.error();
    track.probe_info = std::move(*probe);
  } else {
    track.source_data.assign(source_bytes.begin(), source_bytes.end());
  }
  return track;
}

track_codec_result<std::vector<std::uint8_t>> encode_track_message(const decoded_track& track) {
  const track_info& info = track.info;
  message_writer out;
  out.big_endian(written_version, 1);
  out.utf(info.title, "title");
  out.utf(info.author, "author");
  out.int64(info.length_ms);
  out.utf(info.identifier, "identifier");
  out.boolean(info.is_stream);
  out.nullable_utf(info.uri, "uri");
  out.nullable_utf(info.artwork_url, "artwork_url");
  out.nullable_utf(info.isrc, "isrc");
  out.utf(info.source_name, "source_name");
  if (track.probe_info) out.utf(*track.probe_info, "probe_info");
  out.bytes(track.source_data);
  out.int64(info.position_ms);
  return out.finish(versioned_flag);
}

track_codec_result<std::string> encode_track(const decoded_track& track) {
  auto message = encode_track_message(track);
  if (!message) return message.error();
  return base64_encode(*message);
}

}  // namespace spence::net::lavalink
