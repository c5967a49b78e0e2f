#include "net/dave/frame_decryptor.hpp"

#include "net/voice/rtp_packetizer.hpp"

#include <algorithm>

namespace spence::net::dave {

void frame_decryptor::transition_to_key_ratchet(key_ratchet ratchet, frame_time now,
                                                frame_clock::duration old_ones_expire_after) {
  for (auto& old : ratchets_) old.expire_at(now + old_ones_expire_after);
  ratchets_.emplace_back(std::move(ratchet), now);
}

void frame_decryptor::transition_to_passthrough(bool passthrough, frame_time now, frame_clock::duration expire_after) {
  passthrough_until_ = passthrough ? frame_time::max() : std::min(passthrough_until_, now + expire_after);
}

frame_rejection frame_decryptor::refuse(frame_rejection reason) {
  ++counters_.rejected[static_cast<std::size_t>(reason)];
  return reason;
}

boost::system::result<std::span<const std::uint8_t>, frame_rejection> frame_decryptor::decrypt(mls::bytes_view frame,
                                                                                               mls::bytes& out,
                                                                                               frame_time now) {
  if (std::ranges::equal(frame, opus_silence_frame)) {
    ++counters_.silence;
    return frame;
  }
  while (!ratchets_.empty() && ratchets_.front().expired(now)) ratchets_.pop_front();

  const auto parsed = parse_protocol_frame(frame);
  if (!parsed) {
    if (passthrough_until_ > now) {
      ++counters_.passed_through;
      return frame;
    }
    return refuse(parsed.error());
  }
  if (ratchets_.empty()) return refuse(frame_rejection::no_key_ratchet);

  const bool interleaved = !parsed->unencrypted_ranges.empty();
  mls::bytes_view aad;
  mls::bytes_view ciphertext = parsed->media;
  if (interleaved) {
    gather(*parsed);
    aad = aad_;
    ciphertext = ciphertext_;
  }
  mls::bytes& plaintext = interleaved ? plaintext_ : out;
  plaintext.resize(ciphertext.size());

  // The newest ratchet's reason is the one reported: frames are for the current epoch but for
  // the few seconds of a transition.
  std::optional<frame_rejection> newest_reason;
  for (auto ratchet = ratchets_.rbegin(); ratchet != ratchets_.rend(); ++ratchet) {
    const auto reason = ratchet->decrypt(*parsed, aad, ciphertext, plaintext.data(), now);
    if (!reason) {
      if (interleaved) interleave(*parsed, out);
      ++counters_.decrypted;
      return std::span<const std::uint8_t>(out);
    }
    if (!newest_reason) newest_reason = reason;
  }
  out.clear();  // what a failed open wrote is unauthenticated: none of it may be played
  return refuse(*newest_reason);
}

void frame_decryptor::gather(const protocol_frame& frame) {
  aad_.clear();
  ciphertext_.clear();
  std::size_t at = 0;
  for (const auto& range : frame.unencrypted_ranges) {
    // parse_protocol_frame checked the ranges lie in order inside the media.
    const auto offset = static_cast<std::size_t>(range.offset);
    const auto end = offset + static_cast<std::size_t>(range.size);
    ciphertext_.insert(ciphertext_.end(), frame.media.begin() + static_cast<std::ptrdiff_t>(at),
                       frame.media.begin() + static_cast<std::ptrdiff_t>(offset));
    aad_.insert(aad_.end(), frame.media.begin() + static_cast<std::ptrdiff_t>(offset),
                frame.media.begin() + static_cast<std::ptrdiff_t>(end));
    at = end;
  }
  ciphertext_.insert(ciphertext_.end(), frame.media.begin() + static_cast<std::ptrdiff_t>(at), frame.media.end());
}

void frame_decryptor::interleave(const protocol_frame& frame, mls::bytes& out) const {
  out.assign(frame.media.begin(), frame.media.end());  // the unencrypted ranges are in place already
  std::size_t at = 0;
  std::size_t next_plaintext = 0;
  const auto fill_to = [&](std::size_t end) {
    std::copy_n(plaintext_.begin() + static_cast<std::ptrdiff_t>(next_plaintext), end - at,
                out.begin() + static_cast<std::ptrdiff_t>(at));
    next_plaintext += end - at;
  };
  for (const auto& range : frame.unencrypted_ranges) {
    fill_to(static_cast<std::size_t>(range.offset));
    at = static_cast<std::size_t>(range.offset + range.size);
  }
  fill_to(out.size());
}

}  // namespace spence::net::dave
