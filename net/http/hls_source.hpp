#pragma once
// An HLS media playlist's segments as one continuous byte stream: segment after segment, fetched
// whole (http_fetch, at most max_segment_bytes each) on the client's strand and fed into a bounded
// read-ahead window, so at most the window plus one segment is held. The next segment is fetched
// once the previous one is all in the window. A live playlist (no EXT-X-ENDLIST) starts three
// segments from its end and is fetched again every target duration for the segments after the
// last one taken (by media sequence); one that brings nothing new for stall_timeout fails with
// timeout. The stream is not seekable and has no size.
//
// Refused at open, with media_error(unsupported_format) saying why: encrypted playlists
// (EXT-X-KEY other than NONE), fMP4 segments (EXT-X-MAP). Refused at the first segment: MPEG-TS
// segments (HLS's AAC carriage), which spence does not demux. What the segments hold is found by
// the demuxer from their bytes, as for any stream: MP3 and Ogg/Opus play.
//
// Threads: as http_source (open, read from one thread that is not the client's).

#include "engine/byte_source.hpp"
#include "net/http/hls_playlist.hpp"
#include "net/http/http_client.hpp"

#include <memory>

namespace spence::net {

class read_ahead_window;

class hls_source final : public engine::byte_source {
 public:
  static constexpr std::size_t max_segment_bytes = 16 << 20;

  // `playlist`: a media playlist parsed from `url` (a master playlist's variant is opened by the
  // caller, http_media_open). Throws media_error for playlists spence cannot play.
  static std::unique_ptr<hls_source> open(http_client& client, const std::string& url, hls_playlist playlist,
                                          const http_options& options);
  ~hls_source() override;
  hls_source(const hls_source&) = delete;
  hls_source& operator=(const hls_source&) = delete;

  std::size_t read(std::span<std::uint8_t> out) override;
  bool seekable() const override { return false; }
  void seek(std::uint64_t offset) override;
  std::optional<std::uint64_t> size() const override { return std::nullopt; }
  std::size_t available() const override;
  bool may_wait() const override;
  bool may_ever_wait() const override { return true; }
  const std::string& name() const override { return name_; }

 private:
  class feed;
  hls_source(std::string name, std::shared_ptr<read_ahead_window> window, std::shared_ptr<feed> feed);

  std::string name_;
  std::shared_ptr<read_ahead_window> window_;
  std::shared_ptr<feed> feed_;
};

}  // namespace spence::net
