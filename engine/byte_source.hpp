#pragma once
// Where media bytes come from: a local file, an HTTP(S) stream (net/http), or memory (tests, fuzzing).
// Reads block until bytes arrive; a source that streams from the network keeps its own bounded
// read-ahead window and says how much it holds, so a real-time caller can avoid waiting.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>

namespace spence::engine {

class byte_source {
 public:
  virtual ~byte_source() = default;

  // Reads up to out.size() bytes into out; returns how many, 0 only at the end of the stream.
  // Throws media_error on failure.
  virtual std::size_t read(std::span<std::uint8_t> out) = 0;

  // Whether seek() works (files, HTTP servers that honour Range).
  virtual bool seekable() const = 0;
  // Moves the read position to an absolute byte offset. Throws media_error (not_seekable, io, ...).
  virtual void seek(std::uint64_t offset) = 0;

  // Total length when known (a file's size, an HTTP Content-Length), nullopt for endless streams.
  virtual std::optional<std::uint64_t> size() const = 0;

  // Bytes that read() can return now without waiting; files report what is left of them.
  virtual std::size_t available() const = 0;

  // Whether read() may still wait for bytes that have not arrived (a network stream still
  // downloading). A real-time caller checks available() before reading from such a source.
  virtual bool may_wait() const { return false; }
  // Whether may_wait() can ever be true: fixed for the source's life, so a caller asking may_wait()
  // every 20 ms need not, for a file or memory.
  virtual bool may_ever_wait() const { return false; }

  // A name for errors and logs: a path, or a URL with credentials and query removed.
  virtual const std::string& name() const = 0;

  // What a live stream says it plays now (an Icecast stream's StreamTitle); empty when it says
  // nothing. Any thread: a player may ask while its reader thread reads.
  virtual std::string stream_title() const { return {}; }
};

}  // namespace spence::engine
