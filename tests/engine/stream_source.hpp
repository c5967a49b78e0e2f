#pragma once
// Bytes from memory handed out at most `chunk` at a time, with no seeking and no known size: a live
// stream, a pipe, an HTTP response without Range support. What every reader's tests use to prove
// they parse without seeking back.

#include "engine/byte_source.hpp"
#include "engine/media_error.hpp"

#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

namespace spence::test {

class stream_source final : public engine::byte_source {
 public:
  stream_source(std::vector<std::uint8_t> bytes, std::size_t chunk, std::string name = "stream")
      : bytes_(std::move(bytes)), chunk_(chunk), name_(std::move(name)) {}

  std::size_t read(std::span<std::uint8_t> out) override {
    const std::size_t n = std::min({out.size(), chunk_, bytes_.size() - at_});
    std::copy_n(bytes_.begin() + static_cast<std::ptrdiff_t>(at_), n, out.begin());
    at_ += n;
    return n;
  }
  bool seekable() const override { return false; }
  void seek(std::uint64_t) override {
    throw engine::media_error(engine::media_errc::not_seekable, name_, "stream_source cannot seek");
  }
  std::optional<std::uint64_t> size() const override { return std::nullopt; }
  std::size_t available() const override { return 0; }
  const std::string& name() const override { return name_; }

 private:
  std::vector<std::uint8_t> bytes_;
  std::size_t chunk_;
  std::string name_;
  std::size_t at_ = 0;
};

}  // namespace spence::test
