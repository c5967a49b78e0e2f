// DAVE's frame layer: ULEB128, the sender key ratchet (davey's known answer), the Opus frame
// encryptor (a known frame byte for byte), and the decryptor: round trips, every malformed-frame
// check, tampering, replays, out-of-order frames, generations (gap, age, expiry, the 8-bit wrap),
// epoch transitions, passthrough, and frames with unencrypted ranges.

#include "net/dave/frame_cipher.hpp"
#include "net/dave/frame_decryptor.hpp"
#include "net/dave/key_ratchet.hpp"
#include "net/dave/mls/kdf.hpp"
#include "net/dave/mls/key_schedule.hpp"
#include "net/dave/opus_frame_encryptor.hpp"
#include "net/dave/protocol_frame.hpp"
#include "net/dave/uleb128.hpp"

#include "tests/dave/mls_vectors.hpp"

#include <gtest/gtest.h>

#include <limits>

namespace spence::net::dave {
namespace {

using mls::bytes;
using mls::bytes_view;
using mls::test::from_hex;
using mls::test::to_hex;
using namespace std::chrono_literals;

// davey's hash_ratchet.rs known answer (re-derived independently in the reference notes, 4.4).
const bytes kat_base{206, 221, 97, 177, 184, 161, 202, 105, 4, 101, 84, 40, 44, 247, 11, 123};
const bytes kat_key_0{117, 48, 249, 169, 148, 94, 45, 46, 6, 208, 101, 31, 123, 42, 134, 75};
const bytes kat_nonce_0{48, 30, 95, 75, 116, 9, 15, 152, 94, 114, 107, 178};

// A start of time far from the clock's zero, so "10 s before" stays meaningful.
const frame_time t0 = frame_time{} + 1000h;
// How long a ratchet must have lived before its sender can reach generation g: 2^24 frames each at
// 170 frames a second.
frame_clock::duration age_for_generation(std::uint32_t g) {
  return std::chrono::seconds((std::uint64_t{g} << generation_shift) / max_frames_per_second + 1);
}

std::uint64_t rejected(const frame_decryptor& d, frame_rejection reason) {
  return d.counters().rejected[static_cast<std::size_t>(reason)];
}

// An Opus protocol frame under the ratchet's key for `truncated_nonce`'s generation (widened to
// `generation`), built from the parts, not by the encryptor: tests choose any nonce with it.
bytes protocol_frame_for(key_ratchet& ratchet, std::uint32_t generation, std::uint32_t truncated_nonce,
                         bytes_view opus) {
  frame_cipher cipher(ratchet.get(generation).value().key, frame_cipher::direction::seal);
  bytes frame(opus.size() + truncated_tag_size + opus_supplemental_tail_size(truncated_nonce));
  cipher.seal(truncated_nonce, {}, opus, frame.data(), frame.data() + opus.size());
  write_opus_supplemental_tail(truncated_nonce, frame.data() + opus.size() + truncated_tag_size);
  return frame;
}

const bytes opus_frame{0xfc, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x10, 0x11};

// A sender's ratchet, and a receiver's decryptor holding the same ratchet since t0.
struct sender_and_receiver {
  key_ratchet sender{kat_base};
  frame_decryptor decryptor;

  sender_and_receiver() { decryptor.transition_to_key_ratchet(key_ratchet(kat_base), t0); }
  // The sender's frame with the nonce of generation `g`'s byte above `low_bits`.
  bytes frame(std::uint32_t g, std::uint32_t low_bits) {
    return protocol_frame_for(sender, g, (g % generation_wrap) << generation_shift | low_bits, opus_frame);
  }
};

bytes decrypted(frame_decryptor& d, bytes_view frame, frame_time now) {
  bytes out;
  const auto result = d.decrypt(frame, out, now);
  if (!result) {
    ADD_FAILURE() << "refused: " << frame_rejection_name(result.error());
    return {};
  }
  return bytes(result->begin(), result->end());
}

frame_rejection refusal(frame_decryptor& d, bytes_view frame, frame_time now) {
  bytes out;
  const auto result = d.decrypt(frame, out, now);
  EXPECT_FALSE(result) << "decrypted a frame that should be refused";
  return result ? frame_rejection{} : result.error();
}

// --- ULEB128 ---

TEST(DaveUleb128, RoundTripsInTheShortestForm) {
  for (const std::uint64_t value : {std::uint64_t{0}, std::uint64_t{1}, std::uint64_t{127}, std::uint64_t{128},
                                    std::uint64_t{300}, std::uint64_t{16383}, std::uint64_t{16384},
                                    std::uint64_t{0xffffffff}, std::numeric_limits<std::uint64_t>::max()}) {
    bytes out;
    write_uleb128(value, out);
    EXPECT_EQ(out.size(), uleb128_size(value)) << value;
    bytes_view in = out;
    EXPECT_EQ(read_uleb128(in), value);
    EXPECT_TRUE(in.empty());
  }
  bytes out;
  write_uleb128(300, out);
  EXPECT_EQ(out, (bytes{0xac, 0x02}));
  EXPECT_EQ(uleb128_size(std::numeric_limits<std::uint64_t>::max()), 10u);
}

TEST(DaveUleb128, RefusesTruncatedAndOverflowingValuesWithoutConsuming) {
  const bytes truncated{0x80, 0x80};
  bytes_view in = truncated;
  EXPECT_FALSE(read_uleb128(in));
  EXPECT_EQ(in.size(), 2u);
  bytes_view empty;
  EXPECT_FALSE(read_uleb128(empty));
  // Ten bytes whose last carries more than bit 63, and eleven bytes.
  bytes too_big(9, 0xff);
  too_big.push_back(0x02);
  in = too_big;
  EXPECT_FALSE(read_uleb128(in));
  EXPECT_EQ(in.size(), 10u);
  bytes eleven(10, 0x80);
  eleven.push_back(0x00);
  in = eleven;
  EXPECT_FALSE(read_uleb128(in));
  // Non-minimal forms read as their value (as libdave's reader does), and only the value's bytes.
  const bytes padded{0x81, 0x80, 0x00, 0x7f};
  in = padded;
  EXPECT_EQ(read_uleb128(in), 1u);
  EXPECT_EQ(in.size(), 1u);
}

// --- key ratchet ---

TEST(DaveKeyRatchet, MatchesDaveysKnownAnswer) {
  key_ratchet ratchet(kat_base);
  const auto g0 = ratchet.get(0).value();
  EXPECT_EQ(g0.key, kat_key_0);
  EXPECT_EQ(g0.nonce, kat_nonce_0);
  mls::test::report_vectors("DAVE sender key ratchet (davey hash_ratchet.rs, generation 0)", 1);
}

TEST(DaveKeyRatchet, LaterGenerationsFollowTheHashRatchetAndAreKeptUntilErased) {
  key_ratchet ratchet(kat_base);
  const bytes secret_1 = mls::derive_tree_secret(kat_base, "secret", 0, 32).value();
  const bytes secret_2 = mls::derive_tree_secret(secret_1, "secret", 1, 32).value();
  const auto g2 = ratchet.get(2).value();
  EXPECT_EQ(g2.key, mls::derive_tree_secret(secret_2, "key", 2, 16).value());
  // Generations passed on the way are kept for late frames...
  EXPECT_EQ(ratchet.get(1).value().key, mls::derive_tree_secret(secret_1, "key", 1, 16).value());
  EXPECT_EQ(ratchet.get(0).value().key, kat_key_0);
  // ...until erased, after which they are gone for good.
  ratchet.erase(1);
  EXPECT_FALSE(ratchet.get(1));
  EXPECT_TRUE(ratchet.get(2));
  EXPECT_TRUE(ratchet.get(3));
}

TEST(DaveKeyRatchet, TheSendersBaseSecretIsExportedWithTheLittleEndianUserId) {
  const auto epoch = mls::key_schedule::from_init_secret(bytes(32, 1), mls::zero_secret(), mls::zero_secret(),
                                                         bytes{0, 1, 0, 2})
                         .value();
  const std::uint64_t user = 0x0102030405060708;
  auto ratchet = key_ratchet::for_sender(epoch, user);
  key_ratchet expected(epoch.export_secret("Discord Secure Frames v0", bytes{8, 7, 6, 5, 4, 3, 2, 1}, 16).value());
  EXPECT_EQ(ratchet.get(0).value().key, expected.get(0).value().key);
  key_ratchet big_endian(epoch.export_secret("Discord Secure Frames v0", bytes{1, 2, 3, 4, 5, 6, 7, 8}, 16).value());
  EXPECT_NE(ratchet.get(0).value().key, big_endian.get(0).value().key);
  EXPECT_NE(key_ratchet::for_sender(epoch, user + 1).get(0).value().key, ratchet.get(0).value().key);
}

// --- encryptor ---

TEST(DaveOpusFrameEncryptor, TheFirstFrameMatchesTheKnownFrameByteForByte) {
  opus_frame_encryptor encryptor;
  encryptor.set_key_ratchet(key_ratchet(kat_base));
  const bytes frame{1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
  bytes out;
  const auto first = encryptor.encrypt(frame, out);
  EXPECT_EQ(to_hex(bytes(first.begin(), first.end())), "d027a8ef4a86f715a2fc" "ba04c1c774b21968" "01" "0c" "fafa");
  bytes second_out;
  const auto second = encryptor.encrypt(frame, second_out);
  ASSERT_EQ(second.size(), 22u);
  EXPECT_EQ(to_hex(bytes(second.end() - 4, second.end())), "020cfafa");  // the nonce counts on
  EXPECT_NE(bytes(second.begin(), second.begin() + 10), bytes(first.begin(), first.begin() + 10));
  EXPECT_EQ(encryptor.counters().encrypted, 2u);
  mls::test::report_vectors("DAVE Opus frame (reference notes 4.5, nonce 1)", 1);
}

TEST(DaveOpusFrameEncryptor, SilencePassthroughAndAMissingRatchet) {
  opus_frame_encryptor encryptor;
  bytes out;
  const bytes silence{0xf8, 0xff, 0xfe};
  // No ratchet: nothing may leave in the clear, so the frame is dropped (empty).
  EXPECT_TRUE(encryptor.encrypt(opus_frame, out).empty());
  EXPECT_EQ(encryptor.counters().dropped_without_ratchet, 1u);
  // Silence always passes as it is, ratchet or not.
  const auto s = encryptor.encrypt(silence, out);
  EXPECT_EQ(bytes(s.begin(), s.end()), silence);
  encryptor.set_passthrough(true);
  const auto p = encryptor.encrypt(opus_frame, out);
  EXPECT_EQ(bytes(p.begin(), p.end()), opus_frame);
  EXPECT_EQ(encryptor.counters().passed_through, 2u);
  EXPECT_EQ(encryptor.counters().encrypted, 0u);
}

TEST(DaveOpusFrameEncryptor, ANewRatchetStartsTheNonceOverAndLongNoncesTakeMoreBytes) {
  opus_frame_encryptor encryptor;
  encryptor.set_key_ratchet(key_ratchet(kat_base));
  bytes out;
  for (int i = 1; i < 128; ++i) encryptor.encrypt(opus_frame, out);
  const auto frame_128 = encryptor.encrypt(opus_frame, out);
  // Nonce 128 takes two ULEB128 bytes: the supplemental size grows to 13.
  EXPECT_EQ(to_hex(bytes(frame_128.end() - 5, frame_128.end())), "80010dfafa");
  encryptor.set_key_ratchet(key_ratchet(kat_base));
  const auto restarted = encryptor.encrypt(opus_frame, out);
  EXPECT_EQ(to_hex(bytes(restarted.end() - 4, restarted.end())), "010cfafa");
}

// --- decryptor ---

TEST(DaveFrameDecryptor, RoundTripsOpusFramesOfEverySize) {
  opus_frame_encryptor encryptor;
  encryptor.set_key_ratchet(key_ratchet(kat_base));
  frame_decryptor decryptor;
  decryptor.transition_to_key_ratchet(key_ratchet(kat_base), t0);
  for (std::size_t size = 0; size <= 400; ++size) {
    bytes opus(size);
    for (std::size_t i = 0; i < size; ++i) opus[i] = static_cast<std::uint8_t>(i * 7 + size);
    bytes sealed;
    const auto frame = encryptor.encrypt(opus, sealed);
    ASSERT_EQ(frame.size(), size + 8 + uleb128_size(size + 1) + 3);
    EXPECT_EQ(decrypted(decryptor, frame, t0 + 1ms), opus) << size;
  }
  EXPECT_EQ(decryptor.counters().decrypted, 401u);
}

TEST(DaveFrameDecryptor, SilencePassesAlwaysAndOtherFramesOnlyInPassthrough) {
  frame_decryptor decryptor;
  const bytes silence{0xf8, 0xff, 0xfe};
  EXPECT_EQ(decrypted(decryptor, silence, t0), silence);
  EXPECT_EQ(decryptor.counters().silence, 1u);
  // Passthrough starts off: a plain Opus frame is not a protocol frame.
  EXPECT_EQ(refusal(decryptor, opus_frame, t0), frame_rejection::no_magic_marker);
  decryptor.transition_to_passthrough(true, t0);
  EXPECT_EQ(decrypted(decryptor, opus_frame, t0 + 1h), opus_frame);
  // Turned off: still allowed for 10 s (frames sent before the switch), then refused.
  decryptor.transition_to_passthrough(false, t0 + 2h);
  EXPECT_EQ(decrypted(decryptor, opus_frame, t0 + 2h + 9s), opus_frame);
  EXPECT_EQ(refusal(decryptor, opus_frame, t0 + 2h + 11s), frame_rejection::no_magic_marker);
  EXPECT_EQ(decryptor.counters().passed_through, 2u);
  // A protocol frame is decrypted, never passed, even in passthrough: no ratchet here.
  key_ratchet sender(kat_base);
  decryptor.transition_to_passthrough(true, t0 + 3h);
  EXPECT_EQ(refusal(decryptor, protocol_frame_for(sender, 0, 1, opus_frame), t0 + 3h), frame_rejection::no_key_ratchet);
}

TEST(DaveFrameDecryptor, EveryMalformedFrameIsRefusedWithItsReasonAndCounted) {
  frame_decryptor decryptor;
  decryptor.transition_to_key_ratchet(key_ratchet(kat_base), t0);
  const auto with_tail = [](bytes tail) {
    bytes frame(8, 0xaa);  // the tag (no media)
    frame.insert(frame.end(), tail.begin(), tail.end());
    return frame;
  };
  const std::vector<std::pair<bytes, frame_rejection>> cases = {
      {bytes(10, 0xfa), frame_rejection::too_short},
      {bytes{}, frame_rejection::too_short},
      {with_tail({0x01, 0x0b, 0xfa, 0xfb}), frame_rejection::no_magic_marker},
      {with_tail({0x01, 0x0a, 0xfa, 0xfa}), frame_rejection::bad_supplemental_size},  // below 11
      {with_tail({0x01, 0x0d, 0xfa, 0xfa}), frame_rejection::bad_supplemental_size},  // above the frame
      {with_tail({0x01, 0xff, 0xfa, 0xfa}), frame_rejection::bad_supplemental_size},
      {with_tail({0x0b, 0xfa, 0xfa}), frame_rejection::bad_nonce},                    // no nonce byte at all
      {with_tail({0x80, 0x0c, 0xfa, 0xfa}), frame_rejection::bad_nonce},              // runs into the size byte
      {with_tail({0x80, 0x80, 0x80, 0x80, 0x10, 0x10, 0xfa, 0xfa}), frame_rejection::bad_nonce},  // 2^32
      {with_tail({0x01, 0x00, 0x0d, 0xfa, 0xfa}), frame_rejection::bad_unencrypted_ranges},      // offset, no size
      {with_tail({0x01, 0x00, 0x01, 0x0e, 0xfa, 0xfa}), frame_rejection::bad_unencrypted_ranges},  // past empty media
  };
  for (const auto& [frame, reason] : cases) {
    EXPECT_EQ(refusal(decryptor, frame, t0), reason) << to_hex(frame);
  }
  EXPECT_EQ(rejected(decryptor, frame_rejection::too_short), 2u);
  EXPECT_EQ(rejected(decryptor, frame_rejection::bad_supplemental_size), 3u);
  EXPECT_EQ(rejected(decryptor, frame_rejection::bad_nonce), 3u);
  EXPECT_EQ(rejected(decryptor, frame_rejection::bad_unencrypted_ranges), 2u);

  // Ranges over 4 bytes of media: out of order and overlapping are refused, adjacent ones are not
  // (they then fail authentication: the tag is made up).
  const auto with_ranges = [](bytes ranges) {
    bytes frame(4 + 8, 0x55);
    frame.push_back(0x01);
    frame.insert(frame.end(), ranges.begin(), ranges.end());
    frame.push_back(static_cast<std::uint8_t>(8 + 1 + ranges.size() + 3));
    frame.insert(frame.end(), {0xfa, 0xfa});
    return frame;
  };
  EXPECT_EQ(refusal(decryptor, with_ranges({2, 1, 0, 1}), t0), frame_rejection::bad_unencrypted_ranges);  // out of order
  EXPECT_EQ(refusal(decryptor, with_ranges({0, 2, 1, 1}), t0), frame_rejection::bad_unencrypted_ranges);  // overlap
  EXPECT_EQ(refusal(decryptor, with_ranges({3, 2}), t0), frame_rejection::bad_unencrypted_ranges);        // past the media
  EXPECT_EQ(refusal(decryptor, with_ranges({0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01, 0x01}), t0),
            frame_rejection::bad_unencrypted_ranges);  // offset 2^63
  EXPECT_EQ(refusal(decryptor, with_ranges({0, 2, 2, 2}), t0), frame_rejection::authentication_failed);
  EXPECT_EQ(decryptor.counters().decrypted, 0u);
}

TEST(DaveFrameDecryptor, TamperedFramesFailAuthenticationAndLeaveNoTrace) {
  sender_and_receiver peers;
  auto& decryptor = peers.decryptor;
  const bytes frame = peers.frame(0, 5);
  // Every byte of the ciphertext and the tag is covered; so is the nonce (a different nonce is a
  // different key stream and tag).
  for (std::size_t i = 0; i < opus_frame.size() + 8 + 1; ++i) {
    bytes tampered = frame;
    tampered[i] ^= 0x01;
    EXPECT_EQ(refusal(decryptor, tampered, t0), frame_rejection::authentication_failed) << i;
  }
  // Nothing a failed open wrote is left for the caller to play.
  bytes out;
  bytes tampered = frame;
  tampered[0] ^= 0x80;
  EXPECT_FALSE(decryptor.decrypt(tampered, out, t0));
  EXPECT_TRUE(out.empty());
  // The genuine frame still decrypts: failures did not move the replay window.
  EXPECT_EQ(decrypted(decryptor, frame, t0), opus_frame);
  // Another sender's key does not open it.
  frame_decryptor other;
  other.transition_to_key_ratchet(key_ratchet(bytes(16, 1)), t0);
  EXPECT_EQ(refusal(other, frame, t0), frame_rejection::authentication_failed);
}

TEST(DaveFrameDecryptor, EachNonceDecryptsOnceInAnyOrderWithinTheWindow) {
  sender_and_receiver peers;
  auto& decryptor = peers.decryptor;
  std::vector<bytes> frames;
  for (std::uint32_t n = 0; n <= 5; ++n) frames.push_back(peers.frame(0, n));
  for (const int n : {1, 3, 2, 5, 4}) EXPECT_EQ(decrypted(decryptor, frames[static_cast<std::size_t>(n)], t0), opus_frame) << n;
  for (const int n : {1, 3, 5}) {
    EXPECT_EQ(refusal(decryptor, frames[static_cast<std::size_t>(n)], t0), frame_rejection::replayed_nonce) << n;
  }
  // Nonce 0 was skipped below the first frame decrypted: the window never listed it.
  EXPECT_EQ(refusal(decryptor, frames[0], t0), frame_rejection::replayed_nonce);
  EXPECT_EQ(rejected(decryptor, frame_rejection::replayed_nonce), 4u);

  // A jump of 2000: only the last 1000 skipped nonces stay open.
  EXPECT_EQ(decrypted(decryptor, peers.frame(0, 2005), t0), opus_frame);
  EXPECT_EQ(refusal(decryptor, peers.frame(0, 1004), t0), frame_rejection::replayed_nonce);
  EXPECT_EQ(decrypted(decryptor, peers.frame(0, 1005), t0), opus_frame);
  EXPECT_EQ(decrypted(decryptor, peers.frame(0, 2004), t0), opus_frame);
  EXPECT_EQ(refusal(decryptor, peers.frame(0, 2004), t0), frame_rejection::replayed_nonce);
}

TEST(DaveFrameDecryptor, GenerationsAreBoundedByTheGapAndTheRatchetsAge) {
  sender_and_receiver peers;
  auto& decryptor = peers.decryptor;
  // A young ratchet cannot have reached generation 1 (2^24 frames at 170 a second: 27 hours).
  EXPECT_EQ(refusal(decryptor, peers.frame(1, 1), t0 + 1h), frame_rejection::generation_beyond_age);
  EXPECT_EQ(decrypted(decryptor, peers.frame(1, 1), t0 + age_for_generation(1)), opus_frame);
  const frame_time old_enough = t0 + age_for_generation(255);
  // At most 250 generations past the newest decrypted (1).
  EXPECT_EQ(refusal(decryptor, peers.frame(252, 1), old_enough), frame_rejection::generation_too_far);
  EXPECT_EQ(decrypted(decryptor, peers.frame(251, 1), old_enough), opus_frame);
  EXPECT_EQ(rejected(decryptor, frame_rejection::generation_beyond_age), 1u);
  EXPECT_EQ(rejected(decryptor, frame_rejection::generation_too_far), 1u);
}

TEST(DaveFrameDecryptor, OlderGenerationsServeLateFramesForTenSecondsThenExpire) {
  sender_and_receiver peers;
  auto& decryptor = peers.decryptor;
  const frame_time later = t0 + age_for_generation(3);
  // Nonces as a sender makes them: a generation's last frames just below the next one's first.
  constexpr std::uint32_t last = 0xffffff;
  EXPECT_EQ(decrypted(decryptor, peers.frame(0, last - 2), later), opus_frame);
  EXPECT_EQ(decrypted(decryptor, peers.frame(1, 1), later), opus_frame);             // the sender moved on
  EXPECT_EQ(decrypted(decryptor, peers.frame(0, last - 1), later + 9s), opus_frame);  // late, still kept
  EXPECT_EQ(refusal(decryptor, peers.frame(0, last), later + 11s), frame_rejection::generation_expired);
  // A generation skipped over (2) is made on demand from the ratchet for late frames, for 10 s.
  EXPECT_EQ(decrypted(decryptor, peers.frame(3, 1), later + 12s), opus_frame);
  EXPECT_EQ(decrypted(decryptor, peers.frame(2, last - 3), later + 13s), opus_frame);
  EXPECT_EQ(refusal(decryptor, peers.frame(2, last - 2), later + 24s), frame_rejection::generation_expired);
  EXPECT_EQ(decrypted(decryptor, peers.frame(3, 2), later + 1h), opus_frame);  // the newest stays
  EXPECT_EQ(rejected(decryptor, frame_rejection::generation_expired), 2u);
}

TEST(DaveFrameDecryptor, TheGenerationByteWrapsToGeneration256) {
  sender_and_receiver peers;
  auto& decryptor = peers.decryptor;
  const frame_time now = t0 + age_for_generation(300);
  EXPECT_EQ(decrypted(decryptor, peers.frame(200, 1), now), opus_frame);
  EXPECT_EQ(decrypted(decryptor, peers.frame(255, 1), now), opus_frame);
  // Once generation 200 expired, the oldest kept is 255, and a generation byte of 0 is 256: the
  // 32-bit truncated nonce wrapped, and the nonce 0x00000001 is new again.
  const frame_time after = now + 11s;
  EXPECT_EQ(decrypted(decryptor, peers.frame(256, 1), after), opus_frame);
  EXPECT_EQ(decrypted(decryptor, peers.frame(257, 2), after), opus_frame);

  EXPECT_EQ(wrapped_generation(0, 5), 5u);
  EXPECT_EQ(wrapped_generation(255, 0), 256u);
  EXPECT_EQ(wrapped_generation(300, 50), 306u);   // 300 = 256 + 44: 50 is at or after 44
  EXPECT_EQ(wrapped_generation(300, 40), 552u);   // 40 is before 44: the next wrap
  EXPECT_EQ(wrapped_nonce(256, 0x00000007), (std::uint64_t{256} << 24) | 7);
}

TEST(DaveFrameDecryptor, APreviousEpochsRatchetDecryptsForTenSecondsAfterATransition) {
  key_ratchet old_sender(kat_base);
  key_ratchet new_sender(bytes(16, 9));
  frame_decryptor decryptor;
  decryptor.transition_to_key_ratchet(key_ratchet(kat_base), t0);
  EXPECT_EQ(decrypted(decryptor, protocol_frame_for(old_sender, 0, 1, opus_frame), t0), opus_frame);
  decryptor.transition_to_key_ratchet(key_ratchet(bytes(16, 9)), t0 + 1s);
  // The new epoch's nonces start over at 1: its own ratchet's window is fresh.
  EXPECT_EQ(decrypted(decryptor, protocol_frame_for(new_sender, 0, 1, opus_frame), t0 + 2s), opus_frame);
  EXPECT_EQ(decrypted(decryptor, protocol_frame_for(old_sender, 0, 2, opus_frame), t0 + 10s), opus_frame);
  EXPECT_EQ(refusal(decryptor, protocol_frame_for(old_sender, 0, 3, opus_frame), t0 + 12s),
            frame_rejection::authentication_failed);
  EXPECT_EQ(decrypted(decryptor, protocol_frame_for(new_sender, 0, 2, opus_frame), t0 + 12s), opus_frame);
}

TEST(DaveFrameDecryptor, UnencryptedRangesAreAuthenticatedAndPutBackInPlace) {
  // Media of 9 bytes: bytes 0-1 and 5 stay clear (additional data), the rest is encrypted as one.
  const bytes media{0x10, 0x11, 0x20, 0x21, 0x22, 0x12, 0x23, 0x24, 0x25};
  const bytes clear{0x10, 0x11, 0x12};
  const bytes secret{0x20, 0x21, 0x22, 0x23, 0x24, 0x25};
  key_ratchet sender(kat_base);
  frame_cipher cipher(sender.get(0).value().key, frame_cipher::direction::seal);
  bytes ciphertext(secret.size());
  bytes tag(8);
  cipher.seal(3, clear, secret, ciphertext.data(), tag.data());
  bytes frame{0x10, 0x11, ciphertext[0], ciphertext[1], ciphertext[2], 0x12, ciphertext[3], ciphertext[4], ciphertext[5]};
  frame.insert(frame.end(), tag.begin(), tag.end());
  const bytes tail{0x03, 0x00, 0x02, 0x05, 0x01};  // nonce 3; ranges (0, 2), (5, 1)
  frame.insert(frame.end(), tail.begin(), tail.end());
  frame.push_back(static_cast<std::uint8_t>(8 + tail.size() + 3));
  frame.insert(frame.end(), {0xfa, 0xfa});

  const auto parsed = parse_protocol_frame(frame).value();
  EXPECT_EQ(parsed.unencrypted_ranges, (std::vector<unencrypted_range>{{0, 2}, {5, 1}}));
  EXPECT_EQ(parsed.truncated_nonce, 3u);

  frame_decryptor decryptor;
  decryptor.transition_to_key_ratchet(key_ratchet(kat_base), t0);
  bytes changed_clear = frame;
  changed_clear[5] ^= 0x01;  // a clear byte is authenticated as additional data
  EXPECT_EQ(refusal(decryptor, changed_clear, t0), frame_rejection::authentication_failed);
  EXPECT_EQ(decrypted(decryptor, frame, t0), media);
}

}  // namespace
}  // namespace spence::net::dave
