// Discord's voice transport pieces: RTP headers split as the rtpsize modes need, both AEAD modes
// (checked against the crypto libraries called directly, so the packet layout is what the modes
// define), and IP discovery; malformed datagrams get a clear error.

#include "net/voice/ip_discovery.hpp"
#include "net/voice/rtp_packet.hpp"
#include "net/voice/transport_cipher.hpp"
#include "net/voice/voice_error.hpp"

#include <openssl/evp.h>
#include <sodium.h>

#include <gtest/gtest.h>

#include <numeric>

namespace spence::net {
namespace {

using bytes = std::vector<std::uint8_t>;

bytes header_bytes(const rtp_header& h) {
  bytes out(rtp_fixed_header_bytes);
  write_rtp_header(h, std::span<std::uint8_t, rtp_fixed_header_bytes>(out.data(), rtp_fixed_header_bytes));
  return out;
}

TEST(rtp_packet, HeaderWrittenAsDiscordExpectsAndParsedBack) {
  rtp_header h;
  h.sequence = 0xfffe;
  h.timestamp = 0x01020304;
  h.ssrc = 0xa1b2c3d4;
  const auto out = header_bytes(h);
  EXPECT_EQ(out, (bytes{0x80, 0x78, 0xff, 0xfe, 0x01, 0x02, 0x03, 0x04, 0xa1, 0xb2, 0xc3, 0xd4}));
  bytes packet = out;
  packet.insert(packet.end(), {9, 9, 9});
  auto v = parse_rtp(packet);
  ASSERT_TRUE(v);
  EXPECT_EQ(v->header.sequence, 0xfffe);
  EXPECT_EQ(v->header.timestamp, 0x01020304u);
  EXPECT_EQ(v->header.ssrc, 0xa1b2c3d4u);
  EXPECT_EQ(v->authenticated.size(), 12u);
  EXPECT_EQ(v->rest.size(), 3u);
  EXPECT_EQ(v->extension_body_bytes, 0u);
}

TEST(rtp_packet, CsrcsAndTheExtensionPreambleAreAuthenticatedTheExtensionBodyIsNot) {
  // V=2, X=1, CC=2 (0x92); two CSRCs; extension 0xBEDE with 2 words of body; then "payload" + padding.
  bytes packet{0x92, 0x78, 0, 1, 0, 0, 0, 2, 0, 0, 0, 3, 1, 1, 1, 1, 2, 2, 2, 2, 0xbe, 0xde, 0, 2};
  const bytes plaintext{7, 7, 7, 7, 8, 8, 8, 8, 'o', 'p', 'u', 's'};
  packet.insert(packet.end(), plaintext.begin(), plaintext.end());
  auto v = parse_rtp(packet);
  ASSERT_TRUE(v);
  EXPECT_EQ(v->header.csrc_count, 2);
  EXPECT_TRUE(v->header.extension);
  EXPECT_EQ(v->authenticated.size(), 12u + 8u + 4u);
  EXPECT_EQ(v->extension_body_bytes, 8u);
  auto payload = rtp_payload(*v, plaintext);
  ASSERT_TRUE(payload);
  EXPECT_EQ(bytes(payload->begin(), payload->end()), (bytes{'o', 'p', 'u', 's'}));
}

TEST(rtp_packet, PaddingIsStrippedBeforeAnythingReadsThePayload) {
  rtp_header h;
  h.padding = true;
  auto packet = header_bytes(h);
  auto v = parse_rtp(packet);
  ASSERT_TRUE(v);
  const bytes padded{0xaa, 0xbb, 0xfa, 0xfa, 0, 0, 3};
  auto payload = rtp_payload(*v, padded);
  ASSERT_TRUE(payload);
  EXPECT_EQ(bytes(payload->begin(), payload->end()), (bytes{0xaa, 0xbb, 0xfa, 0xfa}));
  EXPECT_EQ(rtp_payload(*v, bytes{1, 2, 0}).error(), voice_errc::bad_padding);
  EXPECT_EQ(rtp_payload(*v, bytes{1, 2, 9}).error(), voice_errc::bad_padding);
  EXPECT_EQ(rtp_payload(*v, bytes{}).error(), voice_errc::bad_padding);
}

TEST(rtp_packet, MalformedPacketsAreRefusedWithTheReason) {
  EXPECT_EQ(parse_rtp(bytes(11, 0x80)).error(), voice_errc::truncated);
  auto good = header_bytes({});
  auto v1 = good;
  v1[0] = 0x40;
  EXPECT_EQ(parse_rtp(v1).error(), voice_errc::not_rtp);
  auto other_type = good;
  other_type[1] = 111;
  EXPECT_EQ(parse_rtp(other_type).error(), voice_errc::unexpected_payload);
  auto many_csrcs = good;
  many_csrcs[0] = 0x8f;  // 15 CSRCs promised, none there
  EXPECT_EQ(parse_rtp(many_csrcs).error(), voice_errc::truncated);
  auto no_preamble = good;
  no_preamble[0] = 0x90;
  EXPECT_EQ(parse_rtp(no_preamble).error(), voice_errc::truncated);
  auto long_extension = good;
  long_extension[0] = 0x90;
  long_extension.insert(long_extension.end(), {0xbe, 0xde, 0x10, 0x00});  // 4096 words
  auto v = parse_rtp(long_extension);
  ASSERT_TRUE(v);
  EXPECT_EQ(rtp_payload(*v, bytes(100)).error(), voice_errc::bad_extension);
}

TEST(rtp_packet, RtcpIsToldApartByItsWholeSecondByte) {
  for (std::uint8_t type = 200; type <= 204; ++type) EXPECT_TRUE(is_rtcp(bytes{0x80, type, 0, 6})) << int(type);
  EXPECT_FALSE(is_rtcp(bytes{0x80, 0x78}));
  EXPECT_FALSE(is_rtcp(bytes{0x80, 72}));   // 200 & 0x7f: masking would mistake this
  EXPECT_FALSE(is_rtcp(bytes{0x80, 0xf8}));  // marker set on payload type 120
  EXPECT_FALSE(is_rtcp(bytes{0x80}));
}

TEST(transport_mode, AesGcmPreferredWhenOffered) {
  EXPECT_EQ(choose_transport_mode(std::vector<std::string>{"aead_xchacha20_poly1305_rtpsize", "aead_aes256_gcm_rtpsize"}),
            transport_mode::aead_aes256_gcm_rtpsize);
  EXPECT_EQ(choose_transport_mode(std::vector<std::string>{"xsalsa20_poly1305", "aead_xchacha20_poly1305_rtpsize"}),
            transport_mode::aead_xchacha20_poly1305_rtpsize);
  EXPECT_EQ(choose_transport_mode(std::vector<std::string>{"xsalsa20_poly1305_lite"}), std::nullopt);
  EXPECT_EQ(parse_transport_mode("aead_aes256_gcm_rtpsize"), transport_mode::aead_aes256_gcm_rtpsize);
  EXPECT_EQ(parse_transport_mode("aead_aes256_gcm"), std::nullopt);
}

bytes test_key() {
  bytes key(32);
  std::iota(key.begin(), key.end(), std::uint8_t{0x40});
  return key;
}

// The payload of `packet` decrypted by the crypto library itself, with the nonce built as the mode
// defines it (the packet's last four bytes, then zeros), the header as associated data.
std::optional<bytes> library_open(transport_mode mode, const bytes& key, const bytes& packet, std::size_t header) {
  const std::size_t cipher_bytes = packet.size() - header - 20;
  bytes out(cipher_bytes);
  const std::uint8_t* cipher = packet.data() + header;
  const std::uint8_t* tag = cipher + cipher_bytes;
  if (mode == transport_mode::aead_xchacha20_poly1305_rtpsize) {
    std::uint8_t nonce[24] = {};
    std::copy(packet.end() - 4, packet.end(), nonce);
    bytes combined(cipher, tag + 16);
    unsigned long long n = 0;
    if (crypto_aead_xchacha20poly1305_ietf_decrypt(out.data(), &n, nullptr, combined.data(), combined.size(),
                                                   packet.data(), header, nonce, key.data()) != 0)
      return std::nullopt;
    return out;
  }
  std::uint8_t iv[12] = {};
  std::copy(packet.end() - 4, packet.end(), iv);
  auto* ctx = EVP_CIPHER_CTX_new();
  int len = 0;
  bool ok = EVP_DecryptInit_ex(ctx, EVP_aes_256_gcm(), nullptr, key.data(), iv) == 1 &&
            EVP_DecryptUpdate(ctx, nullptr, &len, packet.data(), static_cast<int>(header)) == 1 &&
            EVP_DecryptUpdate(ctx, out.data(), &len, cipher, static_cast<int>(cipher_bytes)) == 1 &&
            EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_TAG, 16, const_cast<std::uint8_t*>(tag)) == 1 &&
            EVP_DecryptFinal_ex(ctx, out.data() + len, &len) == 1;
  EVP_CIPHER_CTX_free(ctx);
  return ok ? std::optional(out) : std::nullopt;
}

class transport_cipher_test : public ::testing::TestWithParam<transport_mode> {};

TEST_P(transport_cipher_test, SealsInDiscordsLayoutAndOpensWhatItSealed) {
  const auto key = test_key();
  transport_cipher cipher(GetParam(), key);
  rtp_header h;
  h.sequence = 7;
  h.ssrc = 42;
  const auto header = header_bytes(h);
  const bytes payload{0xfc, 0xff, 0xfe, 1, 2, 3, 4, 5};
  bytes packet;
  cipher.seal(header, payload, 0x01020304, packet);
  ASSERT_EQ(packet.size(), header.size() + payload.size() + 16 + 4);
  EXPECT_TRUE(std::equal(header.begin(), header.end(), packet.begin()));
  EXPECT_EQ(bytes(packet.end() - 4, packet.end()), (bytes{1, 2, 3, 4}));  // the counter, big-endian
  EXPECT_NE(bytes(packet.begin() + 12, packet.begin() + 20), payload);    // encrypted

  EXPECT_EQ(library_open(GetParam(), key, packet, header.size()), payload);
  bytes plaintext;
  EXPECT_FALSE(cipher.open(packet, header.size(), plaintext));
  EXPECT_EQ(plaintext, payload);

  bytes again;
  cipher.seal(header, payload, 0x01020305, again);
  EXPECT_NE(bytes(again.begin() + 12, again.begin() + 20), bytes(packet.begin() + 12, packet.begin() + 20));
}

TEST_P(transport_cipher_test, AnyChangedByteOrAnotherKeyFailsAuthentication) {
  transport_cipher cipher(GetParam(), test_key());
  const auto header = header_bytes({});
  bytes packet;
  cipher.seal(header, bytes(40, 0x11), 9, packet);
  bytes plaintext;
  for (std::size_t i = 0; i < packet.size(); ++i) {
    auto damaged = packet;
    damaged[i] ^= 0x01;
    EXPECT_EQ(cipher.open(damaged, header.size(), plaintext), voice_errc::authentication_failed) << "byte " << i;
  }
  auto other_key = test_key();
  other_key[0] ^= 1;
  transport_cipher other(GetParam(), other_key);
  EXPECT_EQ(other.open(packet, header.size(), plaintext), voice_errc::authentication_failed);
  EXPECT_EQ(cipher.open(bytes(packet.begin(), packet.begin() + 31), 12, plaintext), voice_errc::truncated);
  EXPECT_THROW(transport_cipher(GetParam(), bytes(16)), std::invalid_argument);
}

INSTANTIATE_TEST_SUITE_P(modes, transport_cipher_test,
                         ::testing::Values(transport_mode::aead_aes256_gcm_rtpsize,
                                           transport_mode::aead_xchacha20_poly1305_rtpsize),
                         [](const auto& info) { return std::string(to_string(info.param)); });

TEST(ip_discovery, RequestAndResponseInDiscordsLayout) {
  const auto request = ip_discovery_request(0x01020304);
  EXPECT_EQ(request[0], 0);
  EXPECT_EQ(request[1], 1);
  EXPECT_EQ(request[2], 0);
  EXPECT_EQ(request[3], 70);
  EXPECT_EQ(parse_ip_discovery_request(request).value(), 0x01020304u);
  const auto response = ip_discovery_response({0x01020304, "203.0.113.9", 50004});
  EXPECT_EQ(response[1], 2);
  EXPECT_EQ(response[72], 50004 >> 8);
  EXPECT_EQ(response[73], 50004 & 0xff);
  auto found = parse_ip_discovery_response(response);
  ASSERT_TRUE(found);
  EXPECT_EQ(found->ssrc, 0x01020304u);
  EXPECT_EQ(found->address, "203.0.113.9");
  EXPECT_EQ(found->port, 50004);
}

TEST(ip_discovery, MalformedDatagramsAreRefused) {
  auto response = ip_discovery_response({1, "10.0.0.1", 1});
  EXPECT_EQ(parse_ip_discovery_response(std::span(response).first(73)).error(), voice_errc::malformed);
  EXPECT_EQ(parse_ip_discovery_request(response).error(), voice_errc::malformed);  // a response
  auto wrong_length = response;
  wrong_length[3] = 71;
  EXPECT_EQ(parse_ip_discovery_response(wrong_length).error(), voice_errc::malformed);
  auto no_nul = response;
  std::fill(no_nul.begin() + 8, no_nul.begin() + 72, 'x');
  EXPECT_EQ(parse_ip_discovery_response(no_nul).error(), voice_errc::malformed);
  auto empty = ip_discovery_response({1, "", 1});
  EXPECT_EQ(parse_ip_discovery_response(empty).error(), voice_errc::malformed);
  EXPECT_THROW(ip_discovery_response({1, std::string(64, '1'), 1}), std::invalid_argument);
}

}  // namespace
}  // namespace spence::net
