#include "net/dave/key_ratchet.hpp"

#include "net/dave/mls/aes_gcm.hpp"
#include "net/dave/mls/hash.hpp"
#include "net/dave/mls/kdf.hpp"

namespace spence::net::dave {

key_ratchet::key_ratchet(mls::bytes base_secret) : next_secret_(std::move(base_secret)) {}

key_ratchet key_ratchet::for_sender(const mls::key_schedule& epoch, std::uint64_t user_id) {
  // The context is the user ID's little-endian bytes (whitepaper 1.1.1; libdave copies the host's
  // little-endian uint64, davey uses to_le_bytes), unlike the big-endian IDs in credentials.
  mls::bytes context(8);
  for (std::size_t i = 0; i < context.size(); ++i) context[i] = static_cast<std::uint8_t>(user_id >> (8 * i));
  // 16 bytes are far below the exporter's HKDF limit.
  return key_ratchet(epoch.export_secret(sender_key_label, context, sender_base_secret_size).value());
}

std::optional<ratchet_generation_keys> key_ratchet::get(std::uint32_t generation) {
  if (const auto kept = kept_.find(generation); kept != kept_.end()) return kept->second;
  if (generation < next_generation_) return std::nullopt;
  // The lengths are fixed and small: none of these derivations can fail.
  for (;;) {
    const auto g = next_generation_++;
    auto& keys = kept_[g];
    keys = {mls::derive_tree_secret(next_secret_, "key", g, frame_key_size).value(),
            mls::derive_tree_secret(next_secret_, "nonce", g, mls::aes128_gcm_nonce_size).value()};
    next_secret_ = mls::derive_tree_secret(next_secret_, "secret", g, mls::hash_size).value();
    if (g == generation) return keys;
  }
}

void key_ratchet::erase(std::uint32_t generation) { kept_.erase(generation); }

}  // namespace spence::net::dave
