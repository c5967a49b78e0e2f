#include "net/http/reopening_source.hpp"

#include "engine/media_error.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

namespace spence::net {

using engine::media_errc;
using engine::media_error;

reopening_source::reopening_source(std::unique_ptr<engine::byte_source> first, reopener reopen)
    : inner_(std::move(first)), reopen_(std::move(reopen)) {}

std::size_t reopening_source::read(std::span<std::uint8_t> out) {
  for (;;) {
    try {
      const std::size_t n = inner_->read(out);
      position_ += n;
      if (n > 0) fresh_ = false;
      return n;
    } catch (const media_error&) {
      if (!reopen_after(std::current_exception())) throw;
    }
  }
}

void reopening_source::seek(std::uint64_t offset) {
  for (;;) {
    try {
      inner_->seek(offset);
      position_ = offset;
      return;
    } catch (const media_error&) {
      if (!reopen_after(std::current_exception())) throw;
    }
  }
}

bool reopening_source::reopen_after(const std::exception_ptr& error) {
  try {
    std::rethrow_exception(error);
  } catch (const media_error& e) {
    if (e.http_status() != 403 && e.http_status() != 410) return false;
    if (fresh_) return false;  // the new URL is refused too: the resolver cannot help
    spdlog::info("{}: the stream URL expired (HTTP {}) at byte {}; asking its resolver for a new one", e.source(),
                 e.http_status(), position_);
  }
  fresh_ = true;  // set first: a re-open that fails is not tried again before a byte arrives
  auto next = reopen_();
  if (position_ > 0) {
    if (!next->seekable())
      throw media_error(media_errc::not_seekable, next->name(),
                        fmt::format("the stream's new URL cannot resume at byte {}", position_));
    next->seek(position_);
  }
  inner_ = std::move(next);
  ++reopened_;
  return true;
}

}  // namespace spence::net
