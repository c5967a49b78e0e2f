#pragma once
// An append-only file for large sequential output: the trace. Where the filesystem allows it,
// whole blocks go to the file with O_DIRECT, past the page cache. Writing through the page cache
// costs the writer about 2 ns per byte on this kind of VM (a page allocated and filled per 4 KiB),
// which at a traced runtime's tens of MB/s was most of what tracing cost; a direct write of the same
// bytes costs next to nothing, and a trace does not crowd other files out of the cache. What is
// left of the last block goes through an ordinary descriptor, and the next direct write rewrites
// it. Filesystems without direct I/O (tmpfs) get ordinary writes throughout.
//
// Write errors are not reported: a trace that cannot be written is not worth stopping actors for
// (docs/trace-format.md).

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string_view>

namespace spence::actors {

class append_file {
 public:
  // Creates or truncates `path`; null if it cannot be opened.
  static std::unique_ptr<append_file> open(const std::filesystem::path& path);
  ~append_file();
  append_file(const append_file&) = delete;
  append_file& operator=(const append_file&) = delete;

  // How much of `size` bytes append() takes: whole blocks when writing directly, else everything.
  std::size_t takes(std::size_t size) const;
  // Appends `data`, whose size takes() accepted in full.
  void append(std::string_view data);
  // Makes `tail` readable after what was appended, without appending it: the caller passes it
  // again, in front of what follows, to the next append().
  void write_tail(std::string_view tail);

 private:
  append_file(int buffered, int direct);
  void append_buffered(std::string_view data);

  static constexpr std::size_t block = 4096;  // covers every logical block size in use
  static constexpr std::size_t bounce_bytes = 256 * 1024;
  int buffered_;      // ordinary descriptor: tails, and everything when direct_ is -1
  int direct_;        // O_DIRECT descriptor, or -1
  std::uint64_t offset_ = 0;  // bytes appended
  std::unique_ptr<std::byte, void (*)(void*)> bounce_;  // block-aligned, for direct writes
};

}  // namespace spence::actors
