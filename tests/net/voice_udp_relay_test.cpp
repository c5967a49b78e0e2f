// The emulator's UDP relay on loopback, with two participants under different transport modes:
// IP discovery, forwarding re-encrypted for each recipient, keepalives, and bad datagrams counted
// by reason while the relay carries on.

#include "net/voice/voice_udp_relay.hpp"

#include "net/voice/ip_discovery.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/executor_work_guard.hpp>

#include <gtest/gtest.h>

#include <thread>

namespace spence::net {
namespace {

namespace asio = boost::asio;
using udp = asio::ip::udp;
using bytes = std::vector<std::uint8_t>;
using namespace std::chrono_literals;

std::array<std::uint8_t, 32> key(std::uint8_t seed) {
  std::array<std::uint8_t, 32> k{};
  for (std::size_t i = 0; i < k.size(); ++i) k[i] = static_cast<std::uint8_t>(seed + i);
  return k;
}

// A participant's socket, as a voice client holds it.
class client {
 public:
  client(asio::io_context& io, udp::endpoint relay, relay_participant who)
      : socket_(io, udp::endpoint(asio::ip::address_v4::loopback(), 0)), relay_(relay), who_(who),
        cipher_(who.mode, who.key) {
    socket_.non_blocking(true);
  }

  void send(std::span<const std::uint8_t> datagram) { socket_.send_to(asio::buffer(datagram.data(), datagram.size()), relay_); }

  // The next datagram within a second, or nullopt.
  std::optional<bytes> receive() {
    const auto until = std::chrono::steady_clock::now() + 1s;
    bytes buffer(2048);
    while (std::chrono::steady_clock::now() < until) {
      boost::system::error_code ec;
      udp::endpoint from;
      const auto n = socket_.receive_from(asio::buffer(buffer), from, 0, ec);
      if (!ec) return bytes(buffer.begin(), buffer.begin() + static_cast<std::ptrdiff_t>(n));
      std::this_thread::sleep_for(1ms);
    }
    return std::nullopt;
  }

  bytes audio(std::uint16_t sequence, std::span<const std::uint8_t> opus, const transport_cipher* with = nullptr) {
    rtp_header h;
    h.sequence = sequence;
    h.timestamp = 960u * sequence;
    h.ssrc = who_.ssrc;
    bytes header(rtp_fixed_header_bytes);
    write_rtp_header(h, std::span<std::uint8_t, rtp_fixed_header_bytes>(header.data(), rtp_fixed_header_bytes));
    bytes packet;
    (with ? *with : cipher_).seal(header, opus, ++nonce_, packet);
    return packet;
  }

  const transport_cipher& cipher() const { return cipher_; }
  std::uint16_t port() const { return socket_.local_endpoint().port(); }

 private:
  udp::socket socket_;
  udp::endpoint relay_;
  relay_participant who_;
  transport_cipher cipher_;
  std::uint32_t nonce_ = 0;
};

class voice_udp_relay_test : public ::testing::Test {
 protected:
  asio::io_context io;
  asio::executor_work_guard<asio::io_context::executor_type> work{io.get_executor()};
  std::shared_ptr<voice_udp_relay> relay =
      std::make_shared<voice_udp_relay>(io.get_executor(), udp::endpoint(asio::ip::address_v4::loopback(), 0));
  std::thread runner;
  relay_participant alice{101, transport_mode::aead_aes256_gcm_rtpsize, key(1), "guild"};
  relay_participant bob{202, transport_mode::aead_xchacha20_poly1305_rtpsize, key(100), "guild"};

  void SetUp() override {
    relay->add_participant(alice);
    relay->add_participant(bob);
    relay->start();
    runner = std::thread([this] { io.run(); });
  }
  void TearDown() override {
    asio::post(io, [r = relay] { r->stop(); });
    work.reset();
    runner.join();
  }

  void discover(client& c, std::uint32_t ssrc) {
    c.send(ip_discovery_request(ssrc));
    auto reply = c.receive();
    ASSERT_TRUE(reply);
    auto found = parse_ip_discovery_response(*reply);
    ASSERT_TRUE(found);
    EXPECT_EQ(found->ssrc, ssrc);
    EXPECT_EQ(found->address, "127.0.0.1");
    EXPECT_EQ(found->port, c.port());
  }

  // Waits until the relay has taken `n` datagrams in all.
  void wait_for_datagrams(std::uint64_t n) {
    for (int i = 0; i < 1000 && relay->stats().at("datagrams").to_number<std::uint64_t>() < n; ++i)
      std::this_thread::sleep_for(1ms);
  }

  std::uint64_t dropped(const std::string& reason) {
    auto s = relay->stats();
    auto& d = s.at("dropped").as_object();
    return d.contains(reason) ? d.at(reason).to_number<std::uint64_t>() : 0;
  }
};

const bytes opus_silence{0xf8, 0xff, 0xfe};

TEST_F(voice_udp_relay_test, ForwardsEachPacketReencryptedForTheOtherParticipant) {
  client a(io, relay->local_endpoint(), alice), b(io, relay->local_endpoint(), bob);
  discover(a, alice.ssrc);
  discover(b, bob.ssrc);
  for (std::uint16_t seq = 0; seq < 10; ++seq) a.send(a.audio(seq, opus_silence));
  for (std::uint16_t seq = 0; seq < 10; ++seq) {
    auto datagram = b.receive();
    ASSERT_TRUE(datagram) << "packet " << seq;
    auto packet = parse_rtp(*datagram);
    ASSERT_TRUE(packet);
    EXPECT_EQ(packet->header.ssrc, alice.ssrc);  // the sender's stream, as Discord forwards it
    EXPECT_EQ(packet->header.sequence, seq);
    bytes plaintext;
    ASSERT_FALSE(b.cipher().open(*datagram, packet->authenticated.size(), plaintext));  // bob's key
    EXPECT_EQ(plaintext, opus_silence);
  }
  auto streams = relay->streams();
  ASSERT_EQ(streams.size(), 1u);
  EXPECT_EQ(streams[0].packets, 10u);
  EXPECT_EQ(streams[0].silence_frames, 10u);
  EXPECT_EQ(streams[0].lost + streams[0].decode_errors, 0u);
  EXPECT_EQ(relay->stats().at("forwarded").to_number<std::uint64_t>(), 10u);
}

TEST_F(voice_udp_relay_test, EchoesKeepalives) {
  client a(io, relay->local_endpoint(), alice);
  const bytes keepalive{1, 0, 0, 0, 0, 0, 0, 0};
  a.send(keepalive);
  EXPECT_EQ(a.receive(), keepalive);
}

TEST_F(voice_udp_relay_test, BadDatagramsAreCountedByReasonAndTheRelayCarriesOn) {
  client a(io, relay->local_endpoint(), alice), b(io, relay->local_endpoint(), bob);
  discover(a, alice.ssrc);
  discover(b, bob.ssrc);
  a.send(bytes{1, 2, 3, 4, 5});  // garbage
  auto forged = a.audio(1, opus_silence);
  forged[14] ^= 1;
  a.send(forged);
  relay_participant stranger{303, transport_mode::aead_aes256_gcm_rtpsize, key(7), "guild"};
  client c(io, relay->local_endpoint(), stranger);
  c.send(c.audio(1, opus_silence));
  c.send(ip_discovery_request(303));
  auto rtcp = bytes(28, 0);
  rtcp[0] = 0x80;
  rtcp[1] = 200;
  a.send(rtcp);
  // A key change: packets under the old key no longer authenticate.
  transport_cipher old_key(alice.mode, alice.key);
  alice.key = key(50);
  relay->add_participant(alice);
  a.send(a.audio(2, opus_silence, &old_key));
  // And then a good packet (sealed with the new key) still goes through.
  transport_cipher new_key(alice.mode, alice.key);
  a.send(a.audio(3, opus_silence, &new_key));
  auto forwarded = b.receive();
  ASSERT_TRUE(forwarded);
  EXPECT_EQ(parse_rtp(*forwarded)->header.sequence, 3);
  EXPECT_EQ(dropped("truncated") + dropped("not opus rtp"), 1u);
  EXPECT_EQ(dropped("authentication failed"), 2u);
  EXPECT_EQ(dropped("unknown ssrc"), 2u);
  EXPECT_EQ(dropped("rtcp"), 1u);
}

TEST_F(voice_udp_relay_test, InjectedLossDropsPackets) {
  client a(io, relay->local_endpoint(), alice), b(io, relay->local_endpoint(), bob);
  discover(a, alice.ssrc);
  discover(b, bob.ssrc);
  relay->set_faults({1.0, 0ms});
  for (std::uint16_t seq = 0; seq < 5; ++seq) a.send(a.audio(seq, opus_silence));
  wait_for_datagrams(2 + 5);  // the two discoveries, then the lost packets
  relay->set_faults({0.0, 30ms});
  a.send(a.audio(5, opus_silence));
  const auto sent = std::chrono::steady_clock::now();
  auto delayed = b.receive();
  ASSERT_TRUE(delayed);
  EXPECT_GE(std::chrono::steady_clock::now() - sent, 25ms);
  EXPECT_EQ(parse_rtp(*delayed)->header.sequence, 5);
  EXPECT_EQ(dropped("injected loss"), 5u);
}

}  // namespace
}  // namespace spence::net
