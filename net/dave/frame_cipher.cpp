#include "net/dave/frame_cipher.hpp"

#include <openssl/err.h>

#include <array>
#include <climits>

namespace spence::net::dave {

frame_cipher::frame_cipher(mls::bytes_view key, direction dir) : ctx_(EVP_CIPHER_CTX_new()) {
  if (!ctx_ || key.size() != 16 ||
      EVP_CipherInit_ex(ctx_.get(), EVP_aes_128_gcm(), nullptr, key.data(), nullptr, dir == direction::seal ? 1 : 0) != 1) {
    mls::throw_openssl_failure("DAVE frame cipher init");
  }
}

void frame_cipher::start(std::uint32_t truncated_nonce, mls::bytes_view aad) {
  std::array<std::uint8_t, 12> nonce{};
  for (std::size_t i = 0; i < 4; ++i) nonce[8 + i] = static_cast<std::uint8_t>(truncated_nonce >> (8 * i));
  int size = 0;
  // Frames are at most a few kilobytes (the UDP datagram they came in), far below INT_MAX.
  if (EVP_CipherInit_ex(ctx_.get(), nullptr, nullptr, nullptr, nonce.data(), -1) != 1 ||
      (!aad.empty() && EVP_CipherUpdate(ctx_.get(), nullptr, &size, aad.data(), static_cast<int>(aad.size())) != 1)) {
    mls::throw_openssl_failure("DAVE frame cipher nonce");
  }
}

void frame_cipher::seal(std::uint32_t truncated_nonce, mls::bytes_view aad, mls::bytes_view plaintext,
                        std::uint8_t* ciphertext, std::uint8_t* tag) {
  start(truncated_nonce, aad);
  std::array<std::uint8_t, 16> full_tag{};
  int size = 0;
  if ((!plaintext.empty() &&
       EVP_EncryptUpdate(ctx_.get(), ciphertext, &size, plaintext.data(), static_cast<int>(plaintext.size())) != 1) ||
      EVP_EncryptFinal_ex(ctx_.get(), ciphertext + size, &size) != 1 ||
      EVP_CIPHER_CTX_ctrl(ctx_.get(), EVP_CTRL_GCM_GET_TAG, static_cast<int>(full_tag.size()), full_tag.data()) != 1) {
    mls::throw_openssl_failure("DAVE frame seal");
  }
  std::copy_n(full_tag.begin(), truncated_tag_size, tag);
}

bool frame_cipher::open(std::uint32_t truncated_nonce, mls::bytes_view aad, mls::bytes_view ciphertext,
                        mls::bytes_view tag, std::uint8_t* plaintext) {
  if (tag.size() != truncated_tag_size) return false;
  start(truncated_nonce, aad);
  // GCM checks as many tag bytes as it is given: 8 here.
  std::array<std::uint8_t, truncated_tag_size> expected{};
  std::copy(tag.begin(), tag.end(), expected.begin());
  int size = 0;
  if ((!ciphertext.empty() &&
       EVP_DecryptUpdate(ctx_.get(), plaintext, &size, ciphertext.data(), static_cast<int>(ciphertext.size())) != 1) ||
      EVP_CIPHER_CTX_ctrl(ctx_.get(), EVP_CTRL_GCM_SET_TAG, static_cast<int>(expected.size()), expected.data()) != 1) {
    mls::throw_openssl_failure("DAVE frame open");
  }
  if (EVP_DecryptFinal_ex(ctx_.get(), plaintext + size, &size) != 1) {
    ERR_clear_error();
    return false;
  }
  return true;
}

}  // namespace spence::net::dave
