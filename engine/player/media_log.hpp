#pragma once
// The media side of a recorded player session. A track's bytes are not in the message trace (they
// would swamp it), yet replay must feed the player exactly what it read, including what a network
// source happened to have ready at each tick. So while a trace is recorded, each track's source is
// wrapped in a `recording_source` that logs every call the player makes to it and what it
// answered; on replay a `replayed_source` answers the same calls from that log, and any call that
// differs from the recorded one (another kind, another size) is a divergence, reported as a
// media_error that names it.
//
// The log is one file per opened track: a header (magic, name, seekable, size), then one record
// per call: read (requested, returned, bytes), seek (offset), failure (code, detail), and runs of
// identical available()/may_wait() answers (those are asked every tick). Writes go through a
// buffered stdio stream, so a tick's record is a memory copy; the stream reaches the file in
// 64 KiB writes and when the source is closed.

#include "engine/byte_source.hpp"
#include "engine/media_error.hpp"

#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <vector>

namespace spence::engine {

// Where the media logs of a trace go: a directory beside its first segment, "<trace>.media".
std::filesystem::path media_logs_beside(const std::filesystem::path& trace);

class recording_source final : public byte_source {
 public:
  // Throws media_error(io) when `log` cannot be created.
  recording_source(std::unique_ptr<byte_source> inner, const std::filesystem::path& log);
  ~recording_source() override;

  std::size_t read(std::span<std::uint8_t> out) override;
  bool seekable() const override { return seekable_; }
  void seek(std::uint64_t offset) override;
  std::optional<std::uint64_t> size() const override { return size_; }
  std::size_t available() const override;
  bool may_wait() const override;
  const std::string& name() const override { return inner_->name(); }

 private:
  struct file_closer {
    void operator()(std::FILE* f) const { std::fclose(f); }
  };
  void put(const void* bytes, std::size_t n) const;
  void put_u64(std::uint64_t v) const;
  void flush_run() const;
  void note_answer(char kind, std::uint64_t value) const;
  [[noreturn]] void record_and_rethrow(const media_error& e) const;

  std::unique_ptr<byte_source> inner_;
  std::vector<char> buffer_;  // the stream's buffer: declared first, so it outlives the stream
  std::unique_ptr<std::FILE, file_closer> log_;
  bool seekable_;
  std::optional<std::uint64_t> size_;
  // The run of identical available()/may_wait() answers not yet written.
  mutable char run_kind_ = 0;
  mutable std::uint64_t run_value_ = 0;
  mutable std::uint64_t run_length_ = 0;
};

class replayed_source final : public byte_source {
 public:
  // Reads the whole log. Throws media_error (io, malformed) for a missing or malformed log.
  explicit replayed_source(const std::filesystem::path& log);
  // The same from bytes already read (fuzzing, tests).
  replayed_source(std::vector<std::uint8_t> log, std::string origin);

  // Each call must be the next recorded one; otherwise media_error(malformed) says how they differ.
  std::size_t read(std::span<std::uint8_t> out) override;
  bool seekable() const override { return seekable_; }
  void seek(std::uint64_t offset) override;
  std::optional<std::uint64_t> size() const override { return size_; }
  std::size_t available() const override;
  bool may_wait() const override;
  const std::string& name() const override { return name_; }

 private:
  void read_header();
  // The next record's kind, after any pending failure record (which it throws).
  char next_kind(char expected) const;
  std::uint64_t answer(char kind) const;
  std::uint64_t take_u64() const;
  std::span<const std::uint8_t> take(std::size_t n) const;
  [[noreturn]] void diverged(const std::string& what) const;

  std::vector<std::uint8_t> log_;
  std::string origin_;
  std::string name_;
  bool seekable_ = false;
  std::optional<std::uint64_t> size_;
  mutable std::size_t at_ = 0;
  mutable std::uint64_t run_left_ = 0;  // answers left in the current available()/may_wait() run
  mutable char run_kind_ = 0;
  mutable std::uint64_t run_value_ = 0;
};

}  // namespace spence::engine
