#pragma once
// An effect sink that appends to a file.

#include "actors/effect.hpp"

#include <cstdio>
#include <filesystem>
#include <memory>
#include <mutex>

namespace spence::app {

class file_sink final : public actors::effect_sink {
 public:
  // Truncates `path`; throws std::system_error if it cannot be opened.
  explicit file_sink(const std::filesystem::path& path);
  ~file_sink() override;
  void write(std::span<const std::byte> bytes) override;

 private:
  std::mutex mutex_;
  std::FILE* file_;
};

}  // namespace spence::app
