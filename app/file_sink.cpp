#include "app/file_sink.hpp"

#include <cerrno>
#include <system_error>

namespace spence::app {

file_sink::file_sink(const std::filesystem::path& path) : file_(std::fopen(path.c_str(), "wb")) {
  if (file_ == nullptr) throw std::system_error(errno, std::generic_category(), "open " + path.string());
}

file_sink::~file_sink() { std::fclose(file_); }

void file_sink::write(std::span<const std::byte> bytes) {
  std::lock_guard lock(mutex_);
  std::fwrite(bytes.data(), 1, bytes.size(), file_);
}

}  // namespace spence::app
