// spence's voice client against the Discord emulator, both on loopback in this process: the v8
// handshake to a described session, a player's packets relayed intact and ended with five silence
// frames, heartbeats, resume after 4015, a fresh connect after other codes, no reconnect after
// 4014/4021/4022, giving up after repeated failures, audio received from another participant and
// mapped to its user, garbage datagrams counted and survived; with DAVE on in the emulator, a call
// of several spence clients whose group forms, grows and shrinks, each hearing the others' audio
// end-to-end encrypted through the relay, and 4017 for a client that cannot offer DAVE.

#include "net/voice/voice_connection.hpp"

#include "engine/opus_encoder.hpp"
#include "net/dave/frame_decryptor.hpp"
#include "net/dave/opus_frame_encryptor.hpp"
#include "net/voice/frame_encryptor.hpp"
#include "net/voice/voice_emulator.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/udp.hpp>

#include <gtest/gtest.h>

#include <cmath>
#include <map>

namespace spence::net {
namespace {

namespace asio = boost::asio;
using udp = asio::ip::udp;
using namespace std::chrono_literals;

class voice_connection_test : public ::testing::Test {
 protected:
  asio::io_context io;
  std::shared_ptr<voice_emulator> emulator;
  std::vector<std::vector<std::uint8_t>> tone;  // Opus packets of a 440 Hz tone
  std::uint64_t next_frame = 1000;

  void SetUp() override { start_emulator({}); }

  void start_emulator(voice_emulator_options options) {
    options.heartbeat_interval = 100ms;
    emulator = std::make_shared<voice_emulator>(io.get_executor(), options);
    emulator->start();
  }

  void TearDown() override {
    emulator->stop();
    io.run_for(50ms);
  }

  std::shared_ptr<voice_connection> connect(const std::string& user, voice_connection_options options = {},
                                            const std::string& guild = "guild", const std::string& channel = "channel") {
    options.first_backoff = 20ms;
    auto c = voice_connection::create(io.get_executor(),
                                      {"ws://127.0.0.1:" + std::to_string(emulator->gateway_endpoint().port()),
                                       guild, user, "session-" + user, "token-" + user, channel},
                                      std::move(options));
    c->start();
    return c;
  }

  // Runs the io_context until `done` holds (true) or `limit` passes (false).
  bool run_until(const std::function<bool()>& done, std::chrono::milliseconds limit = 3s) {
    const auto end = std::chrono::steady_clock::now() + limit;
    while (!done()) {
      if (std::chrono::steady_clock::now() > end) return false;
      io.run_for(5ms);
    }
    return true;
  }

  // Alice, ready, with Bob listening in the same guild (kept in `listener`): every payload he hears
  // lands in `heard`.
  std::vector<std::vector<std::uint8_t>> heard;
  std::shared_ptr<voice_connection> listener;
  std::shared_ptr<voice_connection> speaker_with_listener() {
    voice_connection_options listening;
    listening.on_audio = [this](const received_voice_frame& f) { heard.emplace_back(f.opus.begin(), f.opus.end()); };
    listener = connect("bob", listening);
    auto alice = connect("alice");
    EXPECT_TRUE(run_until([&] { return ready(alice) && ready(listener); }));
    return alice;
  }

  static bool ready(const std::shared_ptr<voice_connection>& c) {
    return c->status().state == voice_connection_state::ready;
  }

  // Plays `frames` frames of the tone through the connection's sink, one per 20 ms.
  void play(const std::shared_ptr<voice_connection>& c, int frames) {
    if (tone.empty()) {
      engine::opus_encoder encoder({});
      std::vector<float> pcm(2 * engine::opus_encoder::frame_samples);
      for (int f = 0; f < 50; ++f) {
        for (int i = 0; i < engine::opus_encoder::frame_samples; ++i) {
          const float v = 0.3f * std::sin(2 * 3.14159265f * 440.0f * float(f * 960 + i) / 48000.0f);
          pcm[2 * i] = pcm[2 * i + 1] = v;
        }
        auto packet = encoder.encode(pcm);
        tone.emplace_back(packet.begin(), packet.end());
      }
    }
    for (int i = 0; i < frames; ++i) {
      const auto& packet = tone[next_frame % tone.size()];
      c->sink()->send({next_frame++, actors::clock::time_point{}, packet});
      io.run_for(20ms);
    }
  }

  std::vector<stream_stats> streams() { return emulator->relay()->streams(); }

  std::uint64_t stat(const std::shared_ptr<voice_connection>& c, const char* key) {
    return c->stats().at(key).to_number<std::uint64_t>();
  }
};

TEST_F(voice_connection_test, PlaysIntoTheEmulatorAndEndsWithFiveSilenceFrames) {
  auto c = connect("alice");
  ASSERT_TRUE(run_until([&] { return ready(c); }));
  EXPECT_EQ(c->stats().at("mode").as_string(), "aead_aes256_gcm_rtpsize");  // preferred when offered
  play(c, 25);
  c->sink()->flush();
  ASSERT_TRUE(run_until([&] { return !streams().empty() && streams()[0].packets == 30; }));
  const auto s = streams().at(0);
  EXPECT_EQ(s.ssrc, stat(c, "ssrc"));
  EXPECT_EQ(s.lost, 0u);
  EXPECT_EQ(s.decode_errors, 0u);
  EXPECT_EQ(s.timestamp_jumps, 0u);
  EXPECT_EQ(s.silence_frames, 5u);
  EXPECT_EQ(c->sink()->counters().sent, 25u);
  EXPECT_EQ(c->sink()->counters().dropped, 0u);
  EXPECT_GE(stat(c, "heartbeat_acks"), 1u);
  EXPECT_EQ(stat(c, "connects"), 1u);
  EXPECT_EQ(stat(c, "gateway_errors"), 0u);
}

TEST_F(voice_connection_test, ChoosesXChaChaWhenAesIsNotOffered) {
  emulator->stop();
  voice_emulator_options options;
  options.modes = {"aead_xchacha20_poly1305_rtpsize"};
  start_emulator(options);
  auto c = connect("alice");
  ASSERT_TRUE(run_until([&] { return ready(c); }));
  EXPECT_EQ(c->stats().at("mode").as_string(), "aead_xchacha20_poly1305_rtpsize");
  play(c, 5);
  ASSERT_TRUE(run_until([&] { return !streams().empty() && streams()[0].packets == 5; }));
  EXPECT_EQ(streams()[0].decode_errors, 0u);
}

TEST_F(voice_connection_test, ResumesAfterTheVoiceServerCrashedAndKeepsTheStream) {
  auto c = connect("alice");
  ASSERT_TRUE(run_until([&] { return ready(c); }));
  play(c, 10);
  const auto ssrc = stat(c, "ssrc");
  emulator->disconnect("alice", 4015, "crashed");
  ASSERT_TRUE(run_until([&] { return stat(c, "resumes") == 1 && ready(c); }));
  play(c, 10);
  ASSERT_TRUE(run_until([&] { return !streams().empty() && streams()[0].packets == 20; }));
  EXPECT_EQ(streams().size(), 1u);
  EXPECT_EQ(stat(c, "ssrc"), ssrc);
  EXPECT_EQ(stat(c, "connects"), 1u);
  EXPECT_EQ(streams()[0].timestamp_jumps, 0u);
}

TEST_F(voice_connection_test, ConnectsAfreshAfterACodeThatDoesNotAllowResuming) {
  auto c = connect("alice");
  ASSERT_TRUE(run_until([&] { return ready(c); }));
  play(c, 3);
  emulator->disconnect("alice", 4009, "session timeout");
  ASSERT_TRUE(run_until([&] { return stat(c, "connects") == 2 && ready(c); }));
  EXPECT_EQ(stat(c, "resumes"), 0u);
  play(c, 3);
  ASSERT_TRUE(run_until([&] {
    std::uint64_t total = 0;
    for (const auto& s : streams()) total += s.packets;
    return total == 6;
  }));
  EXPECT_EQ(streams().size(), 2u);  // a fresh session is a new SSRC
}

TEST_F(voice_connection_test, DoesNotReconnectWhenDiscordSaysNotTo) {
  for (std::uint16_t code : {4014, 4021, 4022}) {
    auto c = connect("user" + std::to_string(code));
    ASSERT_TRUE(run_until([&] { return ready(c); }));
    emulator->disconnect("user" + std::to_string(code), code, "go away");
    ASSERT_TRUE(run_until([&] { return c->status().state == voice_connection_state::closed; }));
    io.run_for(100ms);
    EXPECT_EQ(c->status().close_code, code);
    EXPECT_EQ(stat(c, "connects"), 1u);
    EXPECT_EQ(stat(c, "resumes"), 0u);
    play(c, 1);
    EXPECT_EQ(c->sink()->counters().dropped, 1u);  // nowhere to send: counted, not thrown
  }
}

TEST_F(voice_connection_test, GivesUpAfterRepeatedFailures) {
  emulator->stop();
  voice_emulator_options unusable;
  unusable.modes = {"xsalsa20_poly1305_lite"};  // long gone from Discord: every session fails at Ready
  start_emulator(unusable);
  voice_connection_options options;
  options.max_attempts = 3;
  auto c = connect("alice", options);
  ASSERT_TRUE(run_until([&] { return c->status().state == voice_connection_state::closed; }));
  EXPECT_NE(c->status().reason.find("gave up after 3"), std::string::npos) << c->status().reason;
  EXPECT_EQ(stat(c, "connects"), 3u);
}

TEST_F(voice_connection_test, ReceivesAnotherParticipantsAudioMappedToItsUser) {
  std::vector<received_voice_frame> heard;
  std::vector<std::vector<std::uint8_t>> payloads;
  voice_connection_options listening;
  listening.on_audio = [&](const received_voice_frame& f) {
    heard.push_back(f);
    payloads.emplace_back(f.opus.begin(), f.opus.end());
  };
  auto bob = connect("bob", listening);
  auto alice = connect("alice");
  ASSERT_TRUE(run_until([&] { return ready(alice) && ready(bob); }));
  io.run_for(50ms);  // alice's Speaking reaches bob
  const auto first = next_frame;
  play(alice, 10);
  ASSERT_TRUE(run_until([&] { return heard.size() == 10; }));
  for (std::size_t i = 0; i < heard.size(); ++i) {
    EXPECT_EQ(heard[i].user_id, "alice");
    EXPECT_EQ(heard[i].ssrc, stat(alice, "ssrc"));
    EXPECT_EQ(payloads[i], tone[(first + i) % tone.size()]);
  }
}

TEST_F(voice_connection_test, ReplayedPacketsAreCountedAndDropped) {
  std::size_t heard = 0;
  voice_connection_options listening;
  listening.on_audio = [&](const received_voice_frame&) { ++heard; };
  auto bob = connect("bob", listening);
  auto alice = connect("alice");
  ASSERT_TRUE(run_until([&] { return ready(alice) && ready(bob); }));
  emulator->relay()->set_faults({.loss = 0, .delay = 0ms, .duplicate = 1.0});  // every packet twice
  play(alice, 10);
  ASSERT_TRUE(run_until([&] {
    const auto stats = bob->stats();
    const auto& dropped = stats.at("dropped").as_object();
    return dropped.contains("replayed or too old") && dropped.at("replayed or too old").to_number<int>() == 10;
  }));
  EXPECT_EQ(heard, 10u);
  EXPECT_TRUE(ready(bob));
}

// A stand-in for DAVE's frame layer: prefixes each frame, so the receiver can see it was applied.
class marking_encryptor final : public frame_encryptor {
 public:
  std::span<const std::uint8_t> encrypt(std::span<const std::uint8_t> opus, std::vector<std::uint8_t>& out) override {
    out.assign({0xda, 0x7e});
    out.insert(out.end(), opus.begin(), opus.end());
    return out;
  }
};

TEST_F(voice_connection_test, FramesPassThroughTheFrameEncryptorAndSilenceStaysClear) {
  const auto alice = speaker_with_listener();
  const auto& payloads = heard;
  alice->sink()->set_frame_encryptor(std::make_shared<marking_encryptor>());
  const auto first = next_frame;
  play(alice, 3);
  alice->sink()->flush();
  ASSERT_TRUE(run_until([&] { return payloads.size() == 8; }));
  for (std::size_t i = 0; i < 3; ++i) {
    auto expected = std::vector<std::uint8_t>{0xda, 0x7e};
    const auto& frame = tone[(first + i) % tone.size()];
    expected.insert(expected.end(), frame.begin(), frame.end());
    EXPECT_EQ(payloads[i], expected);
  }
  for (std::size_t i = 3; i < 8; ++i)
    EXPECT_EQ(payloads[i], std::vector<std::uint8_t>(opus_silence_frame.begin(), opus_silence_frame.end()));
}

// DAVE's real encryptor on the sink: without a key nothing goes out (not even in the clear); with
// one, what arrives is protocol frames that the same sender ratchet decrypts to the tone, and the
// silence after the audio stays clear.
TEST_F(voice_connection_test, DaveEncryptsFramesOnTheWireAndDropsThemWithoutAKey) {
  const auto alice = speaker_with_listener();
  const auto& payloads = heard;
  auto encryptor = std::make_shared<dave::opus_frame_encryptor>();
  alice->sink()->set_frame_encryptor(encryptor);
  play(alice, 2);
  EXPECT_EQ(alice->sink()->stats().at("unencryptable").to_number<int>(), 2);
  EXPECT_EQ(alice->sink()->counters().dropped, 2u);

  const std::vector<std::uint8_t> base_secret(16, 0x42);
  encryptor->set_key_ratchet(dave::key_ratchet(base_secret));
  const auto first = next_frame;
  play(alice, 3);
  alice->sink()->flush();
  ASSERT_TRUE(run_until([&] { return payloads.size() == 8; }));
  dave::frame_decryptor decryptor;
  const auto now = dave::frame_clock::now();
  decryptor.transition_to_key_ratchet(dave::key_ratchet(base_secret), now);
  for (std::size_t i = 0; i < 8; ++i) {
    std::vector<std::uint8_t> out;
    const auto frame = decryptor.decrypt(payloads[i], out, now);
    ASSERT_TRUE(frame) << i << ": " << dave::frame_rejection_name(frame.error());
    if (i < 3) {
      EXPECT_EQ(payloads[i].size(), tone[(first + i) % tone.size()].size() + 12);  // tag, nonce, size, marker
      EXPECT_EQ(std::vector<std::uint8_t>(frame->begin(), frame->end()), tone[(first + i) % tone.size()]);
    } else {
      EXPECT_EQ(payloads[i], std::vector<std::uint8_t>(opus_silence_frame.begin(), opus_silence_frame.end()));
    }
  }
  EXPECT_EQ(decryptor.counters().decrypted, 3u);
  EXPECT_EQ(decryptor.counters().silence, 5u);
}

TEST_F(voice_connection_test, AnotherGuildsAudioIsNotHeard) {
  std::size_t heard = 0;
  voice_connection_options listening;
  listening.on_audio = [&](const received_voice_frame&) { ++heard; };
  auto bob = connect("bob", listening, "other guild");
  auto alice = connect("alice");
  ASSERT_TRUE(run_until([&] { return ready(alice) && ready(bob); }));
  play(alice, 5);
  ASSERT_TRUE(run_until([&] { return !streams().empty() && streams()[0].packets == 5; }));
  io.run_for(50ms);
  EXPECT_EQ(heard, 0u);
}

TEST_F(voice_connection_test, GarbageDatagramsAreCountedAndTheConnectionSurvives) {
  auto c = connect("alice");
  ASSERT_TRUE(run_until([&] { return ready(c); }));
  play(c, 3);
  ASSERT_TRUE(run_until([&] { return !streams().empty() && streams()[0].packets == 3; }));
  const udp::endpoint client(asio::ip::address_v4::loopback(), static_cast<std::uint16_t>(stat(c, "udp_port")));
  const std::vector<std::vector<std::uint8_t>> garbage = {
      {0x01},                                                        // truncated
      {0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0a, 0x0b, 0x0c},  // not RTP
      {0x80, 0x78, 0, 1, 0, 0, 0, 1, 0, 0, 0, 9, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21},  // forged
  };
  auto dropped_total = [&] {
    const auto stats = c->stats();  // kept: a range-for over a temporary's member would dangle
    std::uint64_t total = 0;
    for (const auto& [reason, n] : stats.at("dropped").as_object()) total += n.to_number<std::uint64_t>();
    return total;
  };
  // The socket is connected to the voice server: a stranger's datagrams never reach it.
  udp::socket stranger(io, udp::endpoint(asio::ip::address_v4::loopback(), 0));
  for (const auto& d : garbage) stranger.send_to(asio::buffer(d), client);
  io.run_for(50ms);
  EXPECT_EQ(dropped_total(), 0u);
  // Garbage from the server's own address is read, counted by reason and survived. To send from
  // there, the relay gives up its port (the audio it would check has been checked above).
  const auto server = emulator->udp_endpoint();
  emulator->relay()->stop();
  udp::socket impostor(io, server);
  for (const auto& d : garbage) impostor.send_to(asio::buffer(d), client);
  ASSERT_TRUE(run_until([&] { return dropped_total() == 3; }));
  const auto dropped = c->stats().at("dropped").as_object();
  EXPECT_EQ(dropped.at("truncated").to_number<int>(), 1);
  EXPECT_EQ(dropped.at("not opus rtp").to_number<int>(), 1);
  EXPECT_EQ(dropped.at("authentication failed").to_number<int>(), 1);
  EXPECT_TRUE(ready(c));
  // And its player still sends, to the server's address (which the impostor holds now).
  const auto sent_before = c->sink()->counters().sent;
  play(c, 1);
  ASSERT_TRUE(run_until([&] { return c->sink()->counters().sent == sent_before + 1; }));
}

TEST_F(voice_connection_test, LeavingClosesTheGatewayAndStopsSending) {
  auto c = connect("alice");
  ASSERT_TRUE(run_until([&] { return ready(c); }));
  c->stop();
  ASSERT_TRUE(run_until([&] { return emulator->stats().at("connected").to_number<int>() == 0; }));
  EXPECT_EQ(c->status().state, voice_connection_state::closed);
  play(c, 2);
  EXPECT_EQ(c->sink()->counters().sent, 0u);
}

TEST_F(voice_connection_test, AReplacedConnectionTakesOverThePlayersSink) {
  auto first = connect("alice");
  ASSERT_TRUE(run_until([&] { return ready(first); }));
  auto sink = first->sink();
  play(first, 3);
  first->stop();
  auto second = voice_connection::create(
      io.get_executor(),
      {"ws://127.0.0.1:" + std::to_string(emulator->gateway_endpoint().port()), "guild", "alice", "s2", "t2", "channel"}, {}, sink);
  second->start();
  ASSERT_TRUE(run_until([&] { return ready(second); }));
  io.run_for(50ms);  // the first connection's late cleanup must not detach the second's transport
  play(second, 3);
  EXPECT_EQ(sink->counters().sent, 6u);
  EXPECT_EQ(sink->counters().dropped, 0u);
}

TEST_F(voice_connection_test, AnEndpointThatCannotBeReadIsAnExplicitError) {
  auto c = voice_connection::create(io.get_executor(), {"sweetwater-1234.discord.media", "g", "u", "s", "t", "c"});
  c->start();
  ASSERT_TRUE(run_until([&] { return c->status().state == voice_connection_state::closed; }));
  EXPECT_NE(c->status().reason.find("is not host:port"), std::string::npos) << c->status().reason;
}

TEST_F(voice_connection_test, ADiscordEndpointIsReachedOverTls) {
  // The emulator's port speaks plain WebSocket, so a TLS client's handshake fails there: the
  // connection tries TLS, as it must for Discord's "host:port", and gives up after its attempts.
  voice_connection_options options;
  options.max_attempts = 2;
  auto c = voice_connection::create(io.get_executor(),
                                    {"127.0.0.1:" + std::to_string(emulator->gateway_endpoint().port()), "g", "u", "s",
                                     "t", "c"},
                                    options);
  c->start();
  ASSERT_TRUE(run_until([&] { return c->status().state == voice_connection_state::closed; }));
  EXPECT_NE(c->status().reason.find("gave up after 2"), std::string::npos) << c->status().reason;
  EXPECT_EQ(emulator->stats().at("sessions").to_number<int>(), 0);
}

// DAVE end to end: the emulator is Discord's voice gateway for a guild whose channel has the
// guild's ID; each client is a member of the MLS group, so the relay forwards frames it cannot
// read, and each listener decrypts them back to the speaker's exact Opus packets.
class voice_connection_dave_test : public voice_connection_test {
 protected:
  void SetUp() override {
    voice_emulator_options options;
    options.dave = true;
    options.require_dave = true;
    start_emulator(options);
  }

  struct member {
    std::shared_ptr<voice_connection> connection;
    std::vector<received_voice_frame> heard;
    std::vector<std::vector<std::uint8_t>> payloads;
  };
  std::map<std::string, std::unique_ptr<member>> members;

  void join(const std::string& user) {
    auto m = std::make_unique<member>();
    voice_connection_options options;
    options.on_audio = [m = m.get()](const received_voice_frame& f) {
      m->heard.push_back(f);
      m->payloads.emplace_back(f.opus.begin(), f.opus.end());
    };
    m->connection = connect(user, options, "555", "555");
    members[user] = std::move(m);
  }

  static std::optional<std::uint64_t> epoch_of(const member& m) {
    const auto stats = m.connection->stats();
    const auto& dave = stats.at("dave");
    if (!dave.is_object() || !dave.as_object().contains("epoch")) return std::nullopt;
    return dave.at("epoch").to_number<std::uint64_t>();
  }

  // Every member in the group at the same epoch, `size` of them, and the transition executed.
  bool settled(std::size_t size) {
    std::optional<std::uint64_t> epoch;
    for (const auto& [user, m] : members) {
      const auto own = epoch_of(*m);
      if (!own || (epoch && own != epoch)) return false;
      if (m->connection->stats().at("dave").at("members").to_number<std::size_t>() != size) return false;
      epoch = own;
    }
    return true;
  }

  // `speaker` plays; every other member hears the exact packets, mapped to the speaker.
  void expect_heard_by_all(const std::string& speaker) {
    for (auto& [user, m] : members) {
      m->heard.clear();
      m->payloads.clear();
    }
    io.run_for(100ms);  // execute_transition reaches everyone; Speaking maps the SSRCs
    const auto first = next_frame;
    play(members.at(speaker)->connection, 10);
    for (auto& [user, m] : members) {
      if (user == speaker) continue;
      ASSERT_TRUE(run_until([&] { return m->payloads.size() >= 10; })) << user << " heard " << m->payloads.size();
      for (std::size_t i = 0; i < 10; ++i) {
        EXPECT_EQ(m->heard[i].user_id, speaker);
        EXPECT_EQ(m->payloads[i], tone[(first + i) % tone.size()]) << user << " frame " << i;
      }
    }
  }
};

TEST_F(voice_connection_dave_test, AGroupFormsGrowsAndShrinksAndEveryoneHearsEveryoneEncrypted) {
  join("101");
  ASSERT_TRUE(run_until([&] { return ready(members.at("101")->connection); }));
  join("102");
  ASSERT_TRUE(run_until([&] { return settled(2); }));
  expect_heard_by_all("101");
  join("103");
  ASSERT_TRUE(run_until([&] { return settled(3); }));
  expect_heard_by_all("103");
  members.at("101")->connection->stop();
  members.erase("101");
  ASSERT_TRUE(run_until([&] { return settled(2); }));
  expect_heard_by_all("102");
  // The relay forwarded what it could not read, and decoded nothing.
  std::uint64_t encrypted = 0;
  for (const auto& s : streams()) {
    encrypted += s.end_to_end_encrypted;
    EXPECT_EQ(s.decode_errors, 0u);
  }
  EXPECT_GE(encrypted, 30u);
  const auto dave = emulator->stats().at("dave").at("555");
  EXPECT_GE(dave.at("epoch").to_number<int>(), 3);
  EXPECT_EQ(dave.at("refused").as_object().size(), 0u);
}

TEST_F(voice_connection_dave_test, AClientThatCannotOfferDaveIsClosedWith4017AndDoesNotRetry) {
  auto c = connect("alice");  // no snowflake IDs: no DAVE to offer
  ASSERT_TRUE(run_until([&] { return c->status().state == voice_connection_state::closed; }));
  EXPECT_EQ(c->status().close_code, 4017);
  EXPECT_EQ(stat(c, "connects"), 1u);
}

}  // namespace
}  // namespace spence::net
