#pragma once
// Bytes held in memory as a byte source: fuzz targets, tests, and data already downloaded.

#include "engine/byte_source.hpp"

#include <vector>

namespace spence::engine {

class memory_source final : public byte_source {
 public:
  memory_source(std::vector<std::uint8_t> bytes, std::string name);

  std::size_t read(std::span<std::uint8_t> out) override;
  bool seekable() const override { return true; }
  void seek(std::uint64_t offset) override;
  std::optional<std::uint64_t> size() const override { return bytes_.size(); }
  std::size_t available() const override { return bytes_.size() - position_; }
  const std::string& name() const override { return name_; }

 private:
  std::vector<std::uint8_t> bytes_;
  std::string name_;
  std::size_t position_ = 0;
};

}  // namespace spence::engine
