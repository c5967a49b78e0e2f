#pragma once
// Discord's voice transport encryption, the two "rtpsize" AEAD modes still offered:
//   aead_aes256_gcm_rtpsize           AES-256-GCM (OpenSSL), 12-byte nonce; preferred when offered
//   aead_xchacha20_poly1305_rtpsize   XChaCha20-Poly1305-IETF (libsodium), 24-byte nonce; always offered
// A packet is: header (authenticated, not encrypted) | ciphertext | 16-byte tag | 4-byte nonce
// counter. The nonce is that counter, big-endian, in its first four bytes and zeros after; the
// sender increments it per packet and the receiver reads it from the packet's last four bytes.
// Both modes take the 32-byte secret_key of the Session Description.
//
// A cipher keeps its key schedule between packets; one strand at a time.

#include <boost/system/error_code.hpp>

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace spence::net {

enum class transport_mode { aead_aes256_gcm_rtpsize, aead_xchacha20_poly1305_rtpsize };

std::string_view to_string(transport_mode mode) noexcept;
std::optional<transport_mode> parse_transport_mode(std::string_view name) noexcept;
// AES-256-GCM when the server offers it, else XChaCha20-Poly1305; nullopt when it offers neither.
std::optional<transport_mode> choose_transport_mode(std::span<const std::string> offered) noexcept;

inline constexpr std::size_t transport_key_bytes = 32;
inline constexpr std::size_t transport_tag_bytes = 16;
inline constexpr std::size_t transport_nonce_bytes = 4;  // as carried in the packet
inline constexpr std::size_t transport_overhead = transport_tag_bytes + transport_nonce_bytes;

class transport_cipher {
 public:
  // Throws std::invalid_argument for a key that is not 32 bytes, std::runtime_error when the
  // crypto library cannot be set up.
  transport_cipher(transport_mode mode, std::span<const std::uint8_t> key);
  ~transport_cipher();
  transport_cipher(const transport_cipher&) = delete;
  transport_cipher& operator=(const transport_cipher&) = delete;

  transport_mode mode() const noexcept { return mode_; }

  // Writes header | sealed payload | tag | nonce into `out` (replacing what it held).
  void seal(std::span<const std::uint8_t> header, std::span<const std::uint8_t> payload, std::uint32_t nonce,
            std::vector<std::uint8_t>& out) const;
  // Opens a packet whose first `header_bytes` are the authenticated header; the decrypted bytes go
  // to `plaintext`. Errors: truncated, authentication_failed.
  boost::system::error_code open(std::span<const std::uint8_t> packet, std::size_t header_bytes,
                                 std::vector<std::uint8_t>& plaintext) const;

 private:
  struct aes_state;

  transport_mode mode_;
  std::array<std::uint8_t, transport_key_bytes> key_{};  // for XChaCha20 (libsodium takes it per call)
  std::unique_ptr<aes_state> aes_;
};

}  // namespace spence::net
