#include "net/http/http_source.hpp"

#include "net/http/http_transfer.hpp"
#include "net/http/read_ahead_window.hpp"
#include "net/http/redact_url.hpp"

#include <boost/asio/post.hpp>

#include <algorithm>

namespace spence::net {

std::unique_ptr<http_source> http_source::open(http_client& client, std::string_view url) {
  return open(client, url, client.defaults());
}

std::unique_ptr<http_source> http_source::open(http_client& client, std::string_view url,
                                               const http_options& options) {
  std::string name = redact_url(url);
  // A window smaller than one curl write could never take it.
  auto window = std::make_shared<read_ahead_window>(std::max<std::size_t>(options.read_ahead_bytes, CURL_MAX_WRITE_SIZE));
  auto transfer = std::make_shared<http_transfer>(client.driver_, std::string(url), name, options, window);
  boost::asio::post(transfer->strand(), [transfer] { transfer->start(); });
  // Owned before waiting, so that a failed open cancels the transfer.
  std::unique_ptr<http_source> source(new http_source(std::move(name), std::move(window), std::move(transfer)));
  source->window_->wait_established();
  return source;
}

http_source::http_source(std::string name, std::shared_ptr<read_ahead_window> window,
                         std::shared_ptr<http_transfer> transfer)
    : name_(std::move(name)), window_(std::move(window)), transfer_(std::move(transfer)) {}

http_source::~http_source() {
  boost::asio::post(transfer_->strand(), [transfer = transfer_] { transfer->cancel(); });
}

std::size_t http_source::read(std::span<std::uint8_t> out) {
  const std::size_t n = window_->read(out);
  unpause_if_room();
  return n;
}

bool http_source::seekable() const { return window_->seekable(); }

void http_source::seek(std::uint64_t offset) {
  if (offset == window_->position()) return;
  if (!window_->seekable())
    throw engine::media_error(engine::media_errc::not_seekable, name_, "the server does not serve byte ranges");
  if (window_->skip_to(offset)) return unpause_if_room();
  const std::uint64_t generation = window_->restart_at(offset);
  boost::asio::post(transfer_->strand(),
                    [transfer = transfer_, generation, offset] { transfer->restart(generation, offset); });
}

std::optional<std::uint64_t> http_source::size() const { return window_->size(); }

std::string http_source::stream_title() const {
  auto title = window_->stream_title();
  return title.empty() ? window_->body().icy_name : title;
}

body_description http_source::body() const { return window_->body(); }

std::size_t http_source::available() const { return window_->available(); }

bool http_source::may_wait() const { return !window_->settled(); }

void http_source::unpause_if_room() {
  if (const auto generation = window_->take_unpause_request())
    boost::asio::post(transfer_->strand(),
                      [transfer = transfer_, generation = *generation] { transfer->unpause(generation); });
}

}  // namespace spence::net
