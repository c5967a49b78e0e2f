#include "net/voice/transport_cipher.hpp"

#include "net/voice/voice_error.hpp"

#include <openssl/evp.h>
#include <sodium.h>

#include <algorithm>
#include <stdexcept>

namespace spence::net {
namespace {

constexpr std::size_t aes_iv_bytes = 12;
constexpr std::size_t xchacha_nonce_bytes = crypto_aead_xchacha20poly1305_ietf_NPUBBYTES;
static_assert(xchacha_nonce_bytes == 24);
static_assert(crypto_aead_xchacha20poly1305_ietf_ABYTES == transport_tag_bytes);

// The full nonce: the counter big-endian at the front, zeros after.
template <std::size_t N>
std::array<std::uint8_t, N> full_nonce(std::span<const std::uint8_t, transport_nonce_bytes> counter) {
  std::array<std::uint8_t, N> nonce{};
  std::copy(counter.begin(), counter.end(), nonce.begin());
  return nonce;
}

std::array<std::uint8_t, transport_nonce_bytes> counter_bytes(std::uint32_t nonce) {
  return {static_cast<std::uint8_t>(nonce >> 24), static_cast<std::uint8_t>(nonce >> 16),
          static_cast<std::uint8_t>(nonce >> 8), static_cast<std::uint8_t>(nonce)};
}

}  // namespace

std::string_view to_string(transport_mode mode) noexcept {
  switch (mode) {
    case transport_mode::aead_aes256_gcm_rtpsize: return "aead_aes256_gcm_rtpsize";
    case transport_mode::aead_xchacha20_poly1305_rtpsize: return "aead_xchacha20_poly1305_rtpsize";
  }
  return "unknown";
}

std::optional<transport_mode> parse_transport_mode(std::string_view name) noexcept {
  for (auto mode : {transport_mode::aead_aes256_gcm_rtpsize, transport_mode::aead_xchacha20_poly1305_rtpsize})
    if (name == to_string(mode)) return mode;
  return std::nullopt;
}

std::optional<transport_mode> choose_transport_mode(std::span<const std::string> offered) noexcept {
  auto has = [&](transport_mode mode) { return std::find(offered.begin(), offered.end(), to_string(mode)) != offered.end(); };
  if (has(transport_mode::aead_aes256_gcm_rtpsize)) return transport_mode::aead_aes256_gcm_rtpsize;
  if (has(transport_mode::aead_xchacha20_poly1305_rtpsize)) return transport_mode::aead_xchacha20_poly1305_rtpsize;
  return std::nullopt;
}

// Two contexts keyed once: encryption and decryption each only change the IV per packet.
struct transport_cipher::aes_state {
  struct ctx_deleter {
    void operator()(EVP_CIPHER_CTX* c) const { EVP_CIPHER_CTX_free(c); }
  };
  std::unique_ptr<EVP_CIPHER_CTX, ctx_deleter> seal{EVP_CIPHER_CTX_new()};
  std::unique_ptr<EVP_CIPHER_CTX, ctx_deleter> open{EVP_CIPHER_CTX_new()};
};

transport_cipher::transport_cipher(transport_mode mode, std::span<const std::uint8_t> key) : mode_(mode) {
  if (key.size() != transport_key_bytes)
    throw std::invalid_argument("a voice transport key is 32 bytes, not " + std::to_string(key.size()));
  if (mode_ == transport_mode::aead_xchacha20_poly1305_rtpsize) {
    if (sodium_init() < 0) throw std::runtime_error("libsodium could not be initialised");
    std::copy(key.begin(), key.end(), key_.begin());
    return;
  }
  aes_ = std::make_unique<aes_state>();
  if (!aes_->seal || !aes_->open ||
      EVP_EncryptInit_ex(aes_->seal.get(), EVP_aes_256_gcm(), nullptr, key.data(), nullptr) != 1 ||
      EVP_DecryptInit_ex(aes_->open.get(), EVP_aes_256_gcm(), nullptr, key.data(), nullptr) != 1)
    throw std::runtime_error("OpenSSL could not set up AES-256-GCM");
}

transport_cipher::~transport_cipher() { sodium_memzero(key_.data(), key_.size()); }

void transport_cipher::seal(std::span<const std::uint8_t> header, std::span<const std::uint8_t> payload,
                            std::uint32_t nonce, std::vector<std::uint8_t>& out) const {
  const auto counter = counter_bytes(nonce);
  out.resize(header.size() + payload.size() + transport_overhead);
  std::copy(header.begin(), header.end(), out.begin());
  std::uint8_t* cipher = out.data() + header.size();
  std::uint8_t* tag = cipher + payload.size();
  std::copy(counter.begin(), counter.end(), tag + transport_tag_bytes);
  if (mode_ == transport_mode::aead_xchacha20_poly1305_rtpsize) {
    const auto full = full_nonce<xchacha_nonce_bytes>(counter);
    unsigned long long tag_length = 0;
    crypto_aead_xchacha20poly1305_ietf_encrypt_detached(cipher, tag, &tag_length, payload.data(), payload.size(),
                                                         header.data(), header.size(), nullptr, full.data(),
                                                         key_.data());
    return;
  }
  const auto iv = full_nonce<aes_iv_bytes>(counter);
  auto* ctx = aes_->seal.get();
  int n = 0;
  // With key and cipher set, each packet only sets its IV; any failure here is a broken OpenSSL.
  if (EVP_EncryptInit_ex(ctx, nullptr, nullptr, nullptr, iv.data()) != 1 ||
      EVP_EncryptUpdate(ctx, nullptr, &n, header.data(), static_cast<int>(header.size())) != 1 ||
      EVP_EncryptUpdate(ctx, cipher, &n, payload.data(), static_cast<int>(payload.size())) != 1 ||
      EVP_EncryptFinal_ex(ctx, cipher + n, &n) != 1 ||
      EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_GET_TAG, static_cast<int>(transport_tag_bytes), tag) != 1)
    throw std::runtime_error("AES-256-GCM encryption failed");
}

boost::system::error_code transport_cipher::open(std::span<const std::uint8_t> packet, std::size_t header_bytes,
                                                 std::vector<std::uint8_t>& plaintext) const {
  if (packet.size() < header_bytes + transport_overhead) return voice_errc::truncated;
  const auto header = packet.first(header_bytes);
  const auto cipher = packet.subspan(header_bytes, packet.size() - header_bytes - transport_overhead);
  const std::uint8_t* tag = cipher.data() + cipher.size();
  const std::span<const std::uint8_t, transport_nonce_bytes> counter(tag + transport_tag_bytes, transport_nonce_bytes);
  plaintext.resize(cipher.size());
  if (mode_ == transport_mode::aead_xchacha20_poly1305_rtpsize) {
    const auto full = full_nonce<xchacha_nonce_bytes>(counter);
    if (crypto_aead_xchacha20poly1305_ietf_decrypt_detached(plaintext.data(), nullptr, cipher.data(), cipher.size(),
                                                            tag, header.data(), header.size(), full.data(),
                                                            key_.data()) != 0)
      return voice_errc::authentication_failed;
    return {};
  }
  const auto iv = full_nonce<aes_iv_bytes>(counter);
  auto* ctx = aes_->open.get();
  int n = 0;
  if (EVP_DecryptInit_ex(ctx, nullptr, nullptr, nullptr, iv.data()) != 1 ||
      EVP_DecryptUpdate(ctx, nullptr, &n, header.data(), static_cast<int>(header.size())) != 1 ||
      EVP_DecryptUpdate(ctx, plaintext.data(), &n, cipher.data(), static_cast<int>(cipher.size())) != 1 ||
      EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_TAG, static_cast<int>(transport_tag_bytes),
                          const_cast<std::uint8_t*>(tag)) != 1 ||
      EVP_DecryptFinal_ex(ctx, plaintext.data() + n, &n) != 1)
    return voice_errc::authentication_failed;
  return {};
}

}  // namespace spence::net
