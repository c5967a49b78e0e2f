#include "net/dave/receive_ratchet.hpp"

#include <algorithm>

namespace spence::net::dave {

receive_ratchet::receive_ratchet(key_ratchet ratchet, frame_time created)
    : ratchet_(std::move(ratchet)), created_(created) {}

void receive_ratchet::expire_at(frame_time when) noexcept { expiry_ = std::min(expiry_, when); }

std::optional<frame_rejection> receive_ratchet::decrypt(const protocol_frame& frame, mls::bytes_view aad,
                                                        mls::bytes_view ciphertext, std::uint8_t* plaintext,
                                                        frame_time now) {
  // First, so the generation is widened against the generations that are really still kept.
  drop_expired_generations(now);
  const std::uint32_t generation =
      wrapped_generation(oldest_generation_, frame.truncated_nonce >> generation_shift);
  const std::uint64_t nonce = wrapped_nonce(generation, frame.truncated_nonce);
  if (!nonces_.fresh(nonce)) return frame_rejection::replayed_nonce;
  frame_rejection why{};
  frame_cipher* cipher = cipher_for(generation, now, why);
  if (cipher == nullptr) return why;
  if (!cipher->open(frame.truncated_nonce, aad, ciphertext, frame.tag, plaintext)) {
    return frame_rejection::authentication_failed;
  }
  decrypted(generation, nonce, now);
  return std::nullopt;
}

frame_cipher* receive_ratchet::cipher_for(std::uint32_t generation, frame_time now, frame_rejection& why) {
  if (generation < oldest_generation_) {
    why = frame_rejection::generation_expired;
    return nullptr;
  }
  if (generation > newest_generation_ + max_generation_gap) {
    // A generation byte below the oldest kept one is widened into the next wrap; when that is out
    // of reach, it was one of this wrap's, already erased.
    const bool erased = generation >= generation_wrap && generation - generation_wrap < oldest_generation_;
    why = erased ? frame_rejection::generation_expired : frame_rejection::generation_too_far;
    return nullptr;
  }
  const auto age = std::chrono::duration_cast<std::chrono::seconds>(now - created_).count();
  const std::uint64_t reachable = (max_frames_per_second * static_cast<std::uint64_t>(std::max<decltype(age)>(age, 0))) >>
                                  generation_shift;
  if (generation > reachable) {
    why = frame_rejection::generation_beyond_age;
    return nullptr;
  }
  if (const auto found = ciphers_.find(generation); found != ciphers_.end()) return &found->second.cipher;
  const auto keys = ratchet_.get(generation);
  if (!keys) {
    why = frame_rejection::generation_expired;
    return nullptr;
  }
  // A generation older than the newest only serves late frames, for the usual 10 s.
  const frame_time expiry = generation < newest_generation_ ? now + ratchet_expiry : frame_time::max();
  const auto made = ciphers_.emplace(generation, generation_cipher{frame_cipher(keys->key, frame_cipher::direction::open), expiry});
  return &made.first->second.cipher;
}

void receive_ratchet::drop_expired_generations(frame_time now) {
  std::erase_if(ciphers_, [now](const auto& entry) { return entry.second.expiry < now; });
  // Generations below the oldest live one will not be needed again: erase their keys for good.
  while (oldest_generation_ < newest_generation_ && !ciphers_.contains(oldest_generation_)) {
    ratchet_.erase(oldest_generation_);
    ++oldest_generation_;
  }
}

void receive_ratchet::decrypted(std::uint32_t generation, std::uint64_t nonce, frame_time now) {
  nonces_.record(nonce);
  if (generation <= newest_generation_) return;
  newest_generation_ = generation;
  // The sender moved on: the older generations serve late frames for 10 s more at most.
  for (auto& [g, entry] : ciphers_) {
    if (g < newest_generation_) entry.expiry = std::min(entry.expiry, now + ratchet_expiry);
  }
}

}  // namespace spence::net::dave
