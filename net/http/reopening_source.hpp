#pragma once
// A stream whose URL can expire while it plays (SoundCloud's and YouTube's signed stream URLs):
// when reading or seeking fails with HTTP 403 or 410, the stream is opened again through
// `reopen` (which asks the track's resolver for a fresh URL and opens it) and moved to the byte
// position reached, so the reader sees every byte once, in order. A re-opened stream that fails
// the same way before delivering a byte is not re-opened again: the failure goes to the reader.
//
// reopen runs on the reader's thread and blocks (a resolver request and the new response's head);
// the player's track waits for it as for any read.

#include "engine/byte_source.hpp"

#include <functional>
#include <memory>

namespace spence::net {

class reopening_source final : public engine::byte_source {
 public:
  // Throws media_error (what the resolver or the new stream says).
  using reopener = std::function<std::unique_ptr<engine::byte_source>()>;

  // `first`: the stream as opened from the first URL.
  reopening_source(std::unique_ptr<engine::byte_source> first, reopener reopen);

  std::size_t read(std::span<std::uint8_t> out) override;
  bool seekable() const override { return inner_->seekable(); }
  void seek(std::uint64_t offset) override;
  std::optional<std::uint64_t> size() const override { return inner_->size(); }
  std::size_t available() const override { return inner_->available(); }
  bool may_wait() const override { return inner_->may_wait(); }
  bool may_ever_wait() const override { return inner_->may_ever_wait(); }
  const std::string& name() const override { return inner_->name(); }
  std::string stream_title() const override { return inner_->stream_title(); }

  // How many times the stream was opened again.
  int reopened() const noexcept { return reopened_; }

 private:
  // Whether `error` says the URL expired and another try is due; if so the stream is open again at
  // position_.
  bool reopen_after(const std::exception_ptr& error);

  std::unique_ptr<engine::byte_source> inner_;
  reopener reopen_;
  std::uint64_t position_ = 0;
  bool fresh_ = false;  // re-opened and no byte read since
  int reopened_ = 0;
};

}  // namespace spence::net
