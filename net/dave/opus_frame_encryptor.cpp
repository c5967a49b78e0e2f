#include "net/dave/opus_frame_encryptor.hpp"

#include "net/dave/protocol_frame.hpp"
#include "net/voice/rtp_packetizer.hpp"

#include <algorithm>

namespace spence::net::dave {

void opus_frame_encryptor::set_key_ratchet(key_ratchet ratchet) {
  std::lock_guard lock(mutex_);
  ratchet_.emplace(std::move(ratchet));
  cipher_.reset();
  generation_ = 0;
  truncated_nonce_ = 0;
}

void opus_frame_encryptor::set_passthrough(bool passthrough) {
  std::lock_guard lock(mutex_);
  passthrough_ = passthrough;
}

std::span<const std::uint8_t> opus_frame_encryptor::encrypt(std::span<const std::uint8_t> opus,
                                                            std::vector<std::uint8_t>& out) {
  std::lock_guard lock(mutex_);
  if (passthrough_ || std::ranges::equal(opus, opus_silence_frame)) {
    ++counters_.passed_through;
    return opus;
  }
  if (!ratchet_) {
    ++counters_.dropped_without_ratchet;
    return {};
  }
  const std::uint32_t nonce = ++truncated_nonce_;
  const std::uint32_t generation = wrapped_generation(generation_, nonce >> generation_shift);
  if (!cipher_ || generation != generation_) {
    // Generations only move forward here, one at a time: get() always reaches the next one.
    cipher_.emplace(ratchet_->get(generation).value().key, frame_cipher::direction::seal);
    ratchet_->erase(generation);  // the cipher holds the key now
    generation_ = generation;
  }
  out.resize(opus.size() + truncated_tag_size + opus_supplemental_tail_size(nonce));
  cipher_->seal(nonce, {}, opus, out.data(), out.data() + opus.size());
  write_opus_supplemental_tail(nonce, out.data() + opus.size() + truncated_tag_size);
  ++counters_.encrypted;
  return out;
}

opus_frame_encryptor_counters opus_frame_encryptor::counters() const {
  std::lock_guard lock(mutex_);
  return counters_;
}

}  // namespace spence::net::dave
