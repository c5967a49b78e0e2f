#pragma once
// What an HTTP source's reader thread and its transfer (on the client's strand) share: the bounded
// window of bytes fetched ahead, the read position, the end or failure of the stream, and what the
// response said about size and seeking. A mutex guards it all; the reader blocks on a condition
// variable, the strand never blocks.
//
// Seeking starts a new generation: the window empties and every call from the transfer that names
// an older generation is ignored, so bytes of an abandoned request never reach the reader.

#include "engine/media_error.hpp"
#include "net/http/byte_ring.hpp"
#include "net/http/http_response_head.hpp"

#include <condition_variable>
#include <mutex>
#include <optional>
#include <span>
#include <string>

namespace spence::net {

class read_ahead_window {
 public:
  explicit read_ahead_window(std::size_t capacity);

  // --- The reader (one thread, never the client's strand). ---

  // Blocks until the first response was accepted; throws its failure if it was not.
  void wait_established();
  // Blocks until bytes are buffered, the stream ended (returns 0) or failed (throws, after every
  // byte received before the failure has been read).
  std::size_t read(std::span<std::uint8_t> out);
  // Moves the read position forward to `offset` if the bytes up to it are buffered.
  bool skip_to(std::uint64_t offset);
  // Empties the window for a request starting at `offset`; returns the new generation.
  std::uint64_t restart_at(std::uint64_t offset);
  // The generation to unpause, once a paused transfer's pending write fits; asks only once per pause.
  std::optional<std::uint64_t> take_unpause_request();

  std::uint64_t position() const;
  std::size_t available() const;
  // The stream ended or failed: read() no longer waits.
  bool settled() const;
  std::size_t capacity() const;
  std::optional<std::uint64_t> size() const;
  bool seekable() const;
  // What the first accepted response said its body is.
  body_description body() const;
  // The latest ICY StreamTitle, empty before the first. Any thread.
  std::string stream_title() const;

  // --- The transfer (the strand). Calls naming an old generation change nothing. ---

  enum class push_result { accepted, full, stale };
  // Appends all of `bytes`, or none: `full` means the transfer pauses until the reader made room
  // for this many bytes (curl delivers a paused write again, whole).
  push_result push(std::uint64_t generation, std::span<const std::uint8_t> bytes);
  // A response was accepted: what it says about the resource.
  void describe(std::uint64_t generation, std::optional<std::uint64_t> size, bool seekable);
  // Before the first describe(): what the body is.
  void describe_body(const body_description& body);
  void set_stream_title(std::string title);
  void finish(std::uint64_t generation);
  // The first failure of a generation wins.
  void fail(std::uint64_t generation, const engine::media_error& error);
  std::uint64_t generation() const;

 private:
  mutable std::mutex mutex_;
  std::condition_variable changed_;
  byte_ring ring_;
  std::uint64_t generation_ = 0;
  std::uint64_t position_ = 0;  // stream offset of the oldest buffered byte
  std::size_t paused_write_ = 0;  // size of the write the transfer paused on; 0 when not paused
  bool established_ = false;
  bool ended_ = false;
  std::optional<engine::media_error> failure_;
  std::optional<std::uint64_t> size_;
  bool seekable_ = false;
  body_description body_;
  std::string stream_title_;
};

}  // namespace spence::net
