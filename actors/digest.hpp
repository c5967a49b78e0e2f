#pragma once
// Incremental SHA-256 (OpenSSL), used for effect checkpoints in traces and for output digests.

#include <cstddef>
#include <memory>
#include <span>
#include <string>
#include <string_view>

namespace spence::actors {

class sha256 {
 public:
  sha256();
  ~sha256();
  sha256(sha256&&) noexcept;
  sha256& operator=(sha256&&) noexcept;

  void add(std::span<const std::byte> bytes);
  void add(std::string_view text) { add(std::as_bytes(std::span(text.data(), text.size()))); }
  // Lower-case hex of the digest, then starts over.
  std::string finish_hex();

 private:
  struct state;
  std::unique_ptr<state> state_;
};

}  // namespace spence::actors
