#include "net/http/hls_source.hpp"

#include "engine/media_error.hpp"
#include "net/http/curl_multi_driver.hpp"
#include "net/http/http_fetch.hpp"
#include "net/http/read_ahead_window.hpp"
#include "net/http/redact_url.hpp"

#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <deque>

namespace spence::net {
namespace {

using engine::media_errc;
using engine::media_error;

constexpr std::size_t push_step = 16 * 1024;  // the window takes at least this much at once
constexpr std::size_t live_start_segments = 3;  // RFC 8216 6.3.3: not closer to the end than this

// MPEG-TS: 188-byte packets each starting with the sync byte 0x47.
bool looks_like_mpeg_ts(std::string_view bytes) {
  return bytes.size() >= 1 && bytes[0] == 0x47 && (bytes.size() < 189 || bytes[188] == 0x47);
}

}  // namespace

// The strand side: fetches segments in order into the window, refreshes live playlists.
class hls_source::feed : public std::enable_shared_from_this<feed> {
 public:
  feed(const std::shared_ptr<curl_multi_driver>& driver, std::string url, std::string name, hls_playlist playlist,
       http_options options, std::shared_ptr<read_ahead_window> window)
      : driver_(driver),
        strand_(driver->strand()),
        url_(std::move(url)),
        name_(std::move(name)),
        options_(std::move(options)),
        window_(std::move(window)),
        refresh_timer_(strand_),
        live_(!playlist.ended),
        target_duration_(playlist.target_duration_s),
        last_new_segment_(std::chrono::steady_clock::now()) {
    const std::size_t skip = live_ && playlist.segments.size() > live_start_segments
                                 ? playlist.segments.size() - live_start_segments
                                 : 0;
    take_segments(playlist, skip);
  }

  const http_strand& strand() const { return strand_; }

  void start() { next(); }

  void unpause() {
    if (!paused_) return;
    paused_ = false;
    push_body();
  }

  void cancel() {
    closed_ = true;
    refresh_timer_.cancel();
  }

 private:
  void take_segments(const hls_playlist& playlist, std::size_t skip) {
    for (std::size_t i = skip; i < playlist.segments.size(); ++i) {
      const auto& segment = playlist.segments[i];
      if (next_sequence_ && segment.sequence < *next_sequence_) continue;
      queue_.push_back(segment);
      next_sequence_ = segment.sequence + 1;
      last_new_segment_ = std::chrono::steady_clock::now();
    }
  }

  void fetch(std::string url, std::function<void(http_fetch_reply)> then) {
    const auto driver = driver_.lock();
    if (!driver) return fail(media_errc::network, "the HTTP client was closed");
    http_fetch_request request;
    request.url = std::move(url);
    request.max_body_bytes = max_segment_bytes;
    request.timeout = options_.stall_timeout;
    async_fetch(driver, options_, std::move(request),
                [self = shared_from_this(), then = std::move(then)](http_fetch_result result) {
                  if (self->closed_) return;
                  if (!result) return self->fail(media_errc::network, result.error());
                  if (result->status != 200)
                    return self->window_->fail(
                        0, media_error(self->name_, fmt::format("HTTP status {} for {}", result->status,
                                                                redact_url(result->final_url)),
                                       static_cast<int>(result->status)));
                  then(std::move(*result));
                });
  }

  void next() {
    if (closed_) return;
    if (!queue_.empty()) {
      auto segment = std::move(queue_.front());
      queue_.pop_front();
      return fetch(segment.uri, [self = shared_from_this()](http_fetch_reply reply) { self->take_segment(std::move(reply)); });
    }
    if (!live_) return window_->finish(0);
    if (std::chrono::steady_clock::now() - last_new_segment_ > options_.stall_timeout)
      return fail(media_errc::timeout,
                  fmt::format("the live playlist brought no new segment for {} ms", options_.stall_timeout.count()));
    refresh_timer_.expires_after(std::chrono::milliseconds(static_cast<std::int64_t>(target_duration_ * 1000)));
    refresh_timer_.async_wait([self = shared_from_this()](const boost::system::error_code& ec) {
      if (!ec) self->refresh();
    });
  }

  void refresh() {
    fetch(url_, [self = shared_from_this()](http_fetch_reply reply) {
      auto playlist = parse_hls_playlist(reply.body, reply.final_url.empty() ? self->url_ : reply.final_url);
      if (!playlist) return self->fail(media_errc::malformed, "the live playlist changed: " + playlist.error());
      if (playlist->master) return self->fail(media_errc::malformed, "the live playlist became a master playlist");
      self->live_ = !playlist->ended;
      self->target_duration_ = playlist->target_duration_s;
      self->take_segments(*playlist, 0);
      self->next();
    });
  }

  void take_segment(http_fetch_reply reply) {
    if (first_segment_ && looks_like_mpeg_ts(reply.body))
      return fail(media_errc::unsupported_format,
                  "the HLS segments are MPEG-TS (HLS's carriage for AAC), which spence does not demux; it plays MP3 "
                  "and Ogg/Opus segments");
    first_segment_ = false;
    body_ = std::move(reply.body);
    pushed_ = 0;
    push_body();
  }

  void push_body() {
    while (pushed_ < body_.size()) {
      const std::size_t n = std::min(push_step, body_.size() - pushed_);
      const auto* bytes = reinterpret_cast<const std::uint8_t*>(body_.data() + pushed_);
      switch (window_->push(0, {bytes, n})) {
        case read_ahead_window::push_result::full: paused_ = true; return;
        case read_ahead_window::push_result::stale: return;
        case read_ahead_window::push_result::accepted: pushed_ += n; break;
      }
    }
    body_.clear();
    next();
  }

  void fail(media_errc code, std::string_view detail) { window_->fail(0, media_error(code, name_, detail)); }

  const std::weak_ptr<curl_multi_driver> driver_;
  const http_strand strand_;
  const std::string url_;
  const std::string name_;
  const http_options options_;
  const std::shared_ptr<read_ahead_window> window_;
  boost::asio::steady_timer refresh_timer_;
  std::deque<hls_segment> queue_;
  std::optional<std::uint64_t> next_sequence_;  // the first media sequence not yet taken
  bool live_;
  double target_duration_;
  std::chrono::steady_clock::time_point last_new_segment_;
  std::string body_;  // the segment being pushed
  std::size_t pushed_ = 0;
  bool first_segment_ = true;
  bool paused_ = false;
  bool closed_ = false;
};

std::unique_ptr<hls_source> hls_source::open(http_client& client, const std::string& url, hls_playlist playlist,
                                             const http_options& options) {
  std::string name = redact_url(url);
  if (playlist.master) throw media_error(media_errc::unsupported_format, name, "a master playlist, not a media playlist");
  if (!playlist.key_method.empty())
    throw media_error(media_errc::unsupported_format, name,
                      fmt::format("encrypted HLS (EXT-X-KEY METHOD={}) is not supported", playlist.key_method));
  if (playlist.has_map)
    throw media_error(media_errc::unsupported_format, name,
                      "HLS with fMP4 segments (EXT-X-MAP) is not supported; spence plays MP3 and Ogg/Opus segments");
  if (playlist.segments.empty() && playlist.ended) throw media_error(media_errc::truncated, name, "a playlist without segments");
  auto window = std::make_shared<read_ahead_window>(std::max<std::size_t>(options.read_ahead_bytes, push_step));
  window->describe(0, std::nullopt, false);
  auto f = std::make_shared<feed>(client.driver_, url, name, std::move(playlist), options, window);
  boost::asio::post(f->strand(), [f] { f->start(); });
  return std::unique_ptr<hls_source>(new hls_source(std::move(name), std::move(window), std::move(f)));
}

hls_source::hls_source(std::string name, std::shared_ptr<read_ahead_window> window, std::shared_ptr<feed> feed)
    : name_(std::move(name)), window_(std::move(window)), feed_(std::move(feed)) {}

hls_source::~hls_source() {
  boost::asio::post(feed_->strand(), [f = feed_] { f->cancel(); });
}

std::size_t hls_source::read(std::span<std::uint8_t> out) {
  const std::size_t n = window_->read(out);
  if (window_->take_unpause_request())
    boost::asio::post(feed_->strand(), [f = feed_] { f->unpause(); });
  return n;
}

void hls_source::seek(std::uint64_t offset) {
  if (offset == window_->position()) return;
  throw media_error(media_errc::not_seekable, name_, "an HLS stream plays from its start");
}

std::size_t hls_source::available() const { return window_->available(); }

bool hls_source::may_wait() const { return !window_->settled(); }

}  // namespace spence::net
