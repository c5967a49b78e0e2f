#pragma once
// A local file as a byte source.

#include "engine/byte_source.hpp"

#include <cstdio>
#include <filesystem>

namespace spence::engine {

class file_source final : public byte_source {
 public:
  // Throws media_error(io) when the file cannot be opened or is not a regular file.
  explicit file_source(const std::filesystem::path& path);
  ~file_source() override;
  file_source(const file_source&) = delete;
  file_source& operator=(const file_source&) = delete;

  std::size_t read(std::span<std::uint8_t> out) override;
  bool seekable() const override { return true; }
  void seek(std::uint64_t offset) override;
  std::optional<std::uint64_t> size() const override { return size_; }
  std::size_t available() const override;
  const std::string& name() const override { return name_; }

 private:
  std::FILE* file_ = nullptr;
  std::string name_;
  std::uint64_t size_ = 0;
  std::uint64_t position_ = 0;
};

}  // namespace spence::engine
