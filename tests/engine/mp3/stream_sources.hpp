#pragma once
// Byte sources that behave like the network for the MP3 and WAV tests and fuzz targets: the
// shared finite stream that cannot seek, and an endless one that never ends at all.

#include "engine/byte_source.hpp"
#include "engine/media_error.hpp"
#include "tests/engine/stream_source.hpp"

#include <algorithm>
#include <cstdint>
#include <functional>
#include <vector>

namespace spence::test {

// A stream that never ends: byte i is pattern(i). Counts what it served into `served`, which
// outlives the source, so a test can show that a reader gave up after a bounded amount of input.
class endless_source final : public engine::byte_source {
 public:
  endless_source(std::function<std::uint8_t(std::uint64_t)> pattern, std::uint64_t& served)
      : pattern_(std::move(pattern)), served_(served) {}

  std::size_t read(std::span<std::uint8_t> out) override {
    for (std::uint8_t& b : out) b = pattern_(served_++);
    return out.size();
  }
  bool seekable() const override { return false; }
  void seek(std::uint64_t) override {
    throw engine::media_error(engine::media_errc::not_seekable, name_, "endless_source cannot seek");
  }
  std::optional<std::uint64_t> size() const override { return std::nullopt; }
  std::size_t available() const override { return 0; }
  const std::string& name() const override { return name_; }

 private:
  std::function<std::uint8_t(std::uint64_t)> pattern_;
  std::uint64_t& served_;
  std::string name_ = "endless";
};

}  // namespace spence::test
