#include "engine/file_source.hpp"

#include "engine/media_error.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace spence::engine {

file_source::file_source(const std::filesystem::path& path) : name_(path.string()) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec))
    throw media_error(media_errc::io, name_, ec ? ec.message() : "not a regular file");
  file_ = std::fopen(path.c_str(), "rb");
  if (file_ == nullptr) throw media_error(media_errc::io, name_, std::strerror(errno));
  size_ = std::filesystem::file_size(path, ec);
  if (ec) {
    std::fclose(file_);
    throw media_error(media_errc::io, name_, ec.message());
  }
}

file_source::~file_source() { std::fclose(file_); }

std::size_t file_source::read(std::span<std::uint8_t> out) {
  const std::size_t n = std::fread(out.data(), 1, out.size(), file_);
  if (n < out.size() && std::ferror(file_))
    throw media_error(media_errc::io, name_, fmt::format("read at byte {} failed", position_));
  position_ += n;
  return n;
}

void file_source::seek(std::uint64_t offset) {
  if (offset > size_) offset = size_;  // reads then report the end, as past-the-end reads would
  if (fseeko(file_, static_cast<off_t>(offset), SEEK_SET) != 0)
    throw media_error(media_errc::io, name_, fmt::format("seek to byte {} failed: {}", offset, std::strerror(errno)));
  position_ = offset;
}

std::size_t file_source::available() const {
  return static_cast<std::size_t>(size_ - std::min(position_, size_));
}

}  // namespace spence::engine
