// The Discord emulator's voice gateway, driven by a scripted client over a real WebSocket and UDP
// on loopback: the v8 handshake (Hello, Identify, Ready, IP discovery, Select Protocol, Session
// Description), heartbeats, participants told about each other, audio relayed between two
// clients, resume, and Discord's close codes for what a client gets wrong. Then its control API,
// with real HTTP requests on the gateway's port: stats, packet loss and delay, a dropped
// connection, a key change, and requests it must refuse without harm.

#include "net/voice/voice_emulator.hpp"

#include "net/voice/ip_discovery.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/use_future.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/json/parse.hpp>

#include <gtest/gtest.h>

#include <sstream>

namespace spence::net {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using udp = asio::ip::udp;
using namespace std::chrono_literals;

class voice_emulator_test : public ::testing::Test {
 protected:
  asio::io_context io;
  std::shared_ptr<voice_emulator> emulator;

  void SetUp() override {
    voice_emulator_options options;
    options.heartbeat_interval = 1000ms;
    emulator = std::make_shared<voice_emulator>(io.get_executor(), options);
    emulator->start();
  }

  // Runs `script` as a coroutine on the emulator's io_context until it ends.
  void run(std::function<asio::awaitable<void>()> script) {
    auto done = asio::co_spawn(io, std::move(script), asio::use_future);
    io.run_for(10s);
    ASSERT_EQ(done.wait_for(0s), std::future_status::ready) << "the script did not finish";
    done.get();
  }

  asio::awaitable<websocket_connection> connect() {
    co_return co_await websocket_connection::connect("127.0.0.1", emulator->gateway_endpoint().port(), "/?v=8", 2s);
  }

  static asio::awaitable<received_voice_server_message> next(websocket_connection& ws) {
    auto m = co_await ws.read();
    auto* text = std::get_if<websocket_text>(&m);
    if (!text) throw std::runtime_error("the connection ended");
    auto parsed = parse_voice_server_message(text->text);
    if (!parsed) throw std::runtime_error(parsed.error().message());
    co_return *parsed;
  }

  // Reads until a message of type T (skipping others, such as participants joining).
  template <class T>
  static asio::awaitable<std::pair<T, std::optional<std::int64_t>>> expect(websocket_connection& ws) {
    for (;;) {
      auto r = co_await next(ws);
      if (auto* m = std::get_if<T>(&r.message)) co_return std::pair{*m, r.seq};
    }
  }

  static asio::awaitable<std::uint16_t> close_code(websocket_connection& ws) {
    for (;;) {
      auto m = co_await ws.read();
      if (auto* closed = std::get_if<websocket_closed>(&m)) co_return closed->code;
    }
  }

  static asio::awaitable<void> send(websocket_connection& ws, const voice_client_message& m) {
    co_await ws.send_text(serialize_voice_client_message(m));
  }

  static voice_identify identify(std::string user) {
    return {"guild", user, "session-" + user, "token-" + user, 1};
  }

  // A client through the whole handshake, with its UDP socket discovered and its key.
  struct participant {
    websocket_connection ws;
    udp::socket udp;
    std::uint32_t ssrc = 0;
    voice_session_description description;
    std::uint32_t nonce = 0;
  };

  asio::awaitable<participant> join(std::string user, std::string mode = "aead_aes256_gcm_rtpsize") {
    auto ws = co_await connect();
    co_await send(ws, identify(user));
    auto [ready, s1] = co_await expect<voice_ready>(ws);
    udp::socket socket(io, udp::endpoint(asio::ip::address_v4::loopback(), 0));
    std::array<std::uint8_t, 128> buffer{};
    co_await socket.async_send_to(asio::buffer(ip_discovery_request(ready.ssrc)), emulator->udp_endpoint(),
                                  asio::use_awaitable);
    co_await socket.async_receive(asio::buffer(buffer), asio::use_awaitable);
    co_await send(ws, voice_select_protocol{"udp", "127.0.0.1", socket.local_endpoint().port(), mode});
    auto [description, s2] = co_await expect<voice_session_description>(ws);
    co_return participant{std::move(ws), std::move(socket), ready.ssrc, description};
  }

  // One RTP packet carrying a silence frame, sealed with `key`.
  asio::awaitable<void> send_audio(participant& p, std::uint16_t sequence,
                                   const std::array<std::uint8_t, transport_key_bytes>& key) {
    rtp_header h;
    h.ssrc = p.ssrc;
    h.sequence = sequence;
    h.timestamp = sequence * 960u;
    std::vector<std::uint8_t> header(rtp_fixed_header_bytes), packet;
    write_rtp_header(h, std::span<std::uint8_t, rtp_fixed_header_bytes>(header.data(), rtp_fixed_header_bytes));
    const std::vector<std::uint8_t> silence{0xf8, 0xff, 0xfe};
    transport_cipher(*parse_transport_mode(p.description.mode), key).seal(header, silence, ++p.nonce, packet);
    co_await p.udp.async_send_to(asio::buffer(packet), emulator->udp_endpoint(), asio::use_awaitable);
  }

  // Waits (briefly) until the relay has taken `n` datagrams.
  asio::awaitable<void> until_datagrams(std::uint64_t n) {
    asio::steady_timer timer(io);
    for (int i = 0; i < 200 && emulator->relay()->stats().at("datagrams").to_number<std::uint64_t>() < n; ++i) {
      timer.expires_after(5ms);
      co_await timer.async_wait(asio::use_awaitable);
    }
  }

  struct http_reply {
    unsigned status = 0;
    boost::json::value body;
  };

  // One control request on its own connection.
  asio::awaitable<http_reply> control(http::verb method, std::string target, std::string body = {}) {
    http::request<http::string_body> request{method, target, 11};
    request.set(http::field::host, "127.0.0.1");
    request.body() = std::move(body);
    request.prepare_payload();
    std::string raw;
    {
      std::ostringstream out;
      out << request;
      raw = out.str();
    }
    co_return co_await control_raw(raw);
  }

  asio::awaitable<http_reply> control_raw(std::string raw) {
    beast::tcp_stream stream(io);
    co_await stream.async_connect(emulator->gateway_endpoint(), asio::use_awaitable);
    co_await asio::async_write(stream, asio::buffer(raw), asio::use_awaitable);
    beast::flat_buffer buffer;
    http::response<http::string_body> response;
    co_await http::async_read(stream, buffer, response, asio::use_awaitable);
    EXPECT_EQ(response[http::field::content_type], "application/json");
    co_return http_reply{response.result_int(), boost::json::parse(response.body())};
  }

  static std::uint64_t dropped(const boost::json::object& stats, std::string_view reason) {
    const auto& d = stats.at("udp").at("dropped").as_object();
    return d.contains(reason) ? d.at(reason).to_number<std::uint64_t>() : 0;
  }
};

TEST_F(voice_emulator_test, TheV8HandshakeGivesAnSsrcAnAddressAndAKey) {
  run([&]() -> asio::awaitable<void> {
    auto ws = co_await connect();
    auto [hello, hello_seq] = co_await expect<voice_hello>(ws);
    EXPECT_EQ(hello.heartbeat_interval_ms, 1000u);
    EXPECT_FALSE(hello_seq);
    co_await send(ws, identify("alice"));
    auto [ready, ready_seq] = co_await expect<voice_ready>(ws);
    EXPECT_EQ(ready_seq, 1);
    EXPECT_NE(ready.ssrc, 0u);
    EXPECT_EQ(ready.ip, "127.0.0.1");
    EXPECT_EQ(ready.port, emulator->udp_endpoint().port());
    EXPECT_EQ(ready.modes.size(), 2u);

    udp::socket socket(io, udp::endpoint(asio::ip::address_v4::loopback(), 0));
    const udp::endpoint server(asio::ip::make_address(ready.ip), ready.port);
    const auto request = ip_discovery_request(ready.ssrc);
    co_await socket.async_send_to(asio::buffer(request), server, asio::use_awaitable);
    std::array<std::uint8_t, 128> buffer{};
    const auto n = co_await socket.async_receive(asio::buffer(buffer), asio::use_awaitable);
    auto found = parse_ip_discovery_response(std::span(buffer).first(n));
    EXPECT_TRUE(found);
    EXPECT_EQ(found->port, socket.local_endpoint().port());

    co_await send(ws, voice_select_protocol{"udp", found->address, found->port, "aead_xchacha20_poly1305_rtpsize"});
    auto [description, description_seq] = co_await expect<voice_session_description>(ws);
    EXPECT_EQ(description_seq, 2);
    EXPECT_EQ(description.mode, "aead_xchacha20_poly1305_rtpsize");
    EXPECT_EQ(description.dave_protocol_version, 0);  // the emulator speaks DAVE only when asked
    EXPECT_NE(description.secret_key, (std::array<std::uint8_t, 32>{}));

    co_await send(ws, voice_heartbeat{12345, 2});
    auto [ack, ack_seq] = co_await expect<voice_heartbeat_ack>(ws);
    EXPECT_EQ(ack.t, 12345u);
    co_await ws.close(1000, "bye");
    emulator->stop();
  });
  EXPECT_EQ(emulator->stats().at("sessions").to_number<int>(), 0);  // 1000: the user left the call
}

TEST_F(voice_emulator_test, ParticipantsAreToldAboutEachOtherAndAudioIsRelayed) {
  run([&]() -> asio::awaitable<void> {
    auto a = co_await connect();
    co_await send(a, identify("alice"));
    auto [a_ready, s1] = co_await expect<voice_ready>(a);
    auto b = co_await connect();
    co_await send(b, identify("bob"));
    auto [b_ready, s2] = co_await expect<voice_ready>(b);
    auto [present, s3] = co_await expect<voice_clients_connect>(b);
    EXPECT_EQ(present.user_ids, std::vector<std::string>{"alice"});
    auto [joined, s4] = co_await expect<voice_clients_connect>(a);
    EXPECT_EQ(joined.user_ids, std::vector<std::string>{"bob"});

    // Both set up UDP; alice speaks and sends one packet; bob hears who it is and gets it.
    udp::socket a_udp(io, udp::endpoint(asio::ip::address_v4::loopback(), 0));
    udp::socket b_udp(io, udp::endpoint(asio::ip::address_v4::loopback(), 0));
    const auto server = emulator->udp_endpoint();
    std::array<std::uint8_t, 2048> buffer{};
    for (auto* pair : {&a_udp, &b_udp}) {
      const auto ssrc = pair == &a_udp ? a_ready.ssrc : b_ready.ssrc;
      co_await pair->async_send_to(asio::buffer(ip_discovery_request(ssrc)), server, asio::use_awaitable);
      co_await pair->async_receive(asio::buffer(buffer), asio::use_awaitable);
    }
    co_await send(a, voice_select_protocol{"udp", "127.0.0.1", a_udp.local_endpoint().port(), "aead_aes256_gcm_rtpsize"});
    auto [a_key, s5] = co_await expect<voice_session_description>(a);
    co_await send(b, voice_select_protocol{"udp", "127.0.0.1", b_udp.local_endpoint().port(), "aead_xchacha20_poly1305_rtpsize"});
    auto [b_key, s6] = co_await expect<voice_session_description>(b);

    co_await send(a, voice_speaking{speaking_microphone, 0, a_ready.ssrc});
    auto [speaking, s7] = co_await expect<voice_user_speaking>(b);
    EXPECT_EQ(speaking.user_id, "alice");
    EXPECT_EQ(speaking.ssrc, a_ready.ssrc);

    transport_cipher a_cipher(transport_mode::aead_aes256_gcm_rtpsize, a_key.secret_key);
    transport_cipher b_cipher(transport_mode::aead_xchacha20_poly1305_rtpsize, b_key.secret_key);
    rtp_header h;
    h.ssrc = a_ready.ssrc;
    std::vector<std::uint8_t> header(rtp_fixed_header_bytes), packet, plaintext;
    write_rtp_header(h, std::span<std::uint8_t, rtp_fixed_header_bytes>(header.data(), rtp_fixed_header_bytes));
    const std::vector<std::uint8_t> silence{0xf8, 0xff, 0xfe};
    a_cipher.seal(header, silence, 1, packet);
    co_await a_udp.async_send_to(asio::buffer(packet), server, asio::use_awaitable);
    const auto n = co_await b_udp.async_receive(asio::buffer(buffer), asio::use_awaitable);
    EXPECT_FALSE(b_cipher.open(std::span(buffer).first(n), rtp_fixed_header_bytes, plaintext));
    EXPECT_EQ(plaintext, silence);
    emulator->stop();
  });
}

TEST_F(voice_emulator_test, ADroppedConnectionResumesItsSession) {
  run([&]() -> asio::awaitable<void> {
    {
      auto ws = co_await connect();
      co_await send(ws, identify("carol"));
      co_await expect<voice_ready>(ws);
      emulator->disconnect("carol", 4015, "voice server crashed");
      EXPECT_EQ(co_await close_code(ws), 4015);
    }
    auto again = co_await connect();
    co_await send(again, voice_resume{"guild", "session-carol", "token-carol", 1});
    auto [resumed, seq] = co_await expect<voice_resumed>(again);
    EXPECT_EQ(seq, 2);  // the session's numbering goes on
    auto stranger = co_await connect();
    co_await send(stranger, voice_resume{"guild", "session-nobody", "token", 0});
    EXPECT_EQ(co_await close_code(stranger), 4006);
    emulator->stop();
  });
}

TEST_F(voice_emulator_test, WhatAClientGetsWrongClosesItWithDiscordsCode) {
  run([&]() -> asio::awaitable<void> {
    auto garbage = co_await connect();
    co_await garbage.send_text("{not json");
    EXPECT_EQ(co_await close_code(garbage), 4002);

    auto early = co_await connect();
    co_await send(early, voice_select_protocol{"udp", "127.0.0.1", 1, "aead_aes256_gcm_rtpsize"});
    EXPECT_EQ(co_await close_code(early), 4003);

    auto twice = co_await connect();
    co_await send(twice, identify("dave"));
    co_await send(twice, identify("dave"));
    EXPECT_EQ(co_await close_code(twice), 4005);

    auto old_mode = co_await connect();
    co_await send(old_mode, identify("erin"));
    co_await send(old_mode, voice_select_protocol{"udp", "127.0.0.1", 1, "xsalsa20_poly1305"});
    EXPECT_EQ(co_await close_code(old_mode), 4016);

    auto unknown = co_await connect();
    co_await unknown.send_text(R"({"op":15,"d":{"any":1}})");  // undocumented: ignored
    co_await send(unknown, voice_heartbeat{1, -1});
    auto [ack, seq] = co_await expect<voice_heartbeat_ack>(unknown);
    EXPECT_EQ(ack.t, 1u);
    emulator->stop();
  });
  auto closed = emulator->stats().at("closed").as_object();
  EXPECT_EQ(closed.at("4002").to_number<int>(), 1);
  EXPECT_EQ(closed.at("4016").to_number<int>(), 1);
}

TEST(voice_emulator, RequiringDaveClosesAClientWithoutIt) {
  asio::io_context io;
  voice_emulator_options options;
  options.require_dave = true;
  auto emulator = std::make_shared<voice_emulator>(io.get_executor(), options);
  emulator->start();
  auto done = asio::co_spawn(
      io,
      [&]() -> asio::awaitable<void> {
        auto ws = co_await websocket_connection::connect("127.0.0.1", emulator->gateway_endpoint().port(), "/?v=8", 2s);
        co_await ws.send_text(serialize_voice_client_message(voice_identify{"g", "u", "s", "t", 0}));
        std::uint16_t code = 0;
        for (;;) {
          auto m = co_await ws.read();
          if (auto* c = std::get_if<websocket_closed>(&m)) {
            code = c->code;
            break;
          }
        }
        EXPECT_EQ(code, 4017);
        emulator->stop();
      },
      asio::use_future);
  io.run_for(10s);
  ASSERT_EQ(done.wait_for(0s), std::future_status::ready) << "the script did not finish";
  done.get();
}

TEST_F(voice_emulator_test, TheControlApiServesStatsOnTheGatewaysPort) {
  run([&]() -> asio::awaitable<void> {
    auto alice = co_await join("alice");
    auto reply = co_await control(http::verb::get, "/stats");
    EXPECT_EQ(reply.status, 200u);
    EXPECT_EQ(reply.body.at("sessions").to_number<int>(), 1);
    EXPECT_EQ(reply.body.at("connected").to_number<int>(), 1);
    EXPECT_EQ(reply.body.at("udp").at("participants").to_number<int>(), 1);
    // The same port still speaks WebSocket to the connected client.
    co_await send(alice.ws, voice_heartbeat{7, 2});
    auto [ack, seq] = co_await expect<voice_heartbeat_ack>(alice.ws);
    EXPECT_EQ(ack.t, 7u);
    emulator->stop();
  });
}

TEST_F(voice_emulator_test, InjectedLossDropsPacketsAndInjectedDelayHoldsThemBack) {
  run([&]() -> asio::awaitable<void> {
    auto alice = co_await join("alice");
    auto bob = co_await join("bob", "aead_xchacha20_poly1305_rtpsize");

    auto set = co_await control(http::verb::post, "/faults", R"({"loss":1})");
    EXPECT_EQ(set.status, 200u);
    EXPECT_EQ(set.body.at("loss").to_number<double>(), 1.0);
    EXPECT_EQ(set.body.at("delay_ms").to_number<int>(), 0);
    const auto before = emulator->relay()->stats().at("datagrams").to_number<std::uint64_t>();
    for (std::uint16_t i = 0; i < 3; ++i) co_await send_audio(alice, i, alice.description.secret_key);
    co_await until_datagrams(before + 3);
    EXPECT_EQ(dropped(emulator->stats(), "injected loss"), 3u);

    set = co_await control(http::verb::post, "/faults", R"({"delay_ms":150})");
    EXPECT_EQ(set.status, 200u);
    EXPECT_EQ(set.body.at("loss").to_number<double>(), 0.0);  // what is absent is off
    const auto sent = std::chrono::steady_clock::now();
    co_await send_audio(alice, 3, alice.description.secret_key);
    std::array<std::uint8_t, 2048> buffer{};
    co_await bob.udp.async_receive(asio::buffer(buffer), asio::use_awaitable);
    EXPECT_GE(std::chrono::steady_clock::now() - sent, 150ms);
    EXPECT_EQ(dropped(emulator->stats(), "injected loss"), 3u);
    emulator->stop();
  });
}

TEST_F(voice_emulator_test, TheControlApiDropsAConnectionWithTheCodeAsked) {
  run([&]() -> asio::awaitable<void> {
    auto carol = co_await join("carol");
    auto reply = co_await control(http::verb::post, "/disconnect", R"({"user_id":"carol","code":4015})");
    EXPECT_EQ(reply.status, 200u);
    EXPECT_EQ(co_await close_code(carol.ws), 4015);
    // Resumable, as a real 4015 is.
    auto again = co_await connect();
    co_await send(again, voice_resume{"guild", "session-carol", "token-carol", 2});
    co_await expect<voice_resumed>(again);

    auto nobody = co_await control(http::verb::post, "/disconnect", R"({"user_id":"nobody","code":4014})");
    EXPECT_EQ(nobody.status, 404u);
    EXPECT_TRUE(nobody.body.at("error").is_string());
    emulator->stop();
  });
  EXPECT_EQ(emulator->stats().at("closed").at("4015").to_number<int>(), 1);
}

TEST_F(voice_emulator_test, ARekeySendsAFreshKeyAndTheOldOneIsRefused) {
  run([&]() -> asio::awaitable<void> {
    auto alice = co_await join("alice");
    const auto old_key = alice.description.secret_key;
    co_await send_audio(alice, 0, old_key);
    co_await until_datagrams(2);  // IP discovery, then the packet

    auto reply = co_await control(http::verb::post, "/rekey", R"({"user_id":"alice"})");
    EXPECT_EQ(reply.status, 200u);
    auto [fresh, seq] = co_await expect<voice_session_description>(alice.ws);
    EXPECT_EQ(seq, 3);  // numbered after Ready and the first description
    EXPECT_EQ(fresh.mode, alice.description.mode);
    EXPECT_NE(fresh.secret_key, old_key);

    co_await send_audio(alice, 1, old_key);
    co_await send_audio(alice, 2, fresh.secret_key);
    co_await until_datagrams(4);
    EXPECT_EQ(dropped(emulator->stats(), "authentication failed"), 1u);
    const auto streams = emulator->relay()->streams();
    EXPECT_EQ(streams.size(), 1u);
    EXPECT_EQ(streams.at(0).packets, 2u);  // before the rekey, and after it under the new key

    auto stranger = co_await control(http::verb::post, "/rekey", R"({"user_id":"mallory"})");
    EXPECT_EQ(stranger.status, 404u);
    emulator->stop();
  });
}

TEST_F(voice_emulator_test, MalformedControlRequestsGetA4xxAndChangeNothing) {
  run([&]() -> asio::awaitable<void> {
    auto alice = co_await join("alice");
    const std::pair<std::string, std::string> bad_faults[] = {
        {"{not json", "not JSON"},       {"[1,2]", "object"},
        {R"({"los":0.5})", "unknown field"}, {R"({"loss":1.5})", "loss must be between"},
        {R"({"loss":"half"})", "must be a number"}, {R"({"delay_ms":-1})", "delay_ms must be between"}};
    for (const auto& [body, why] : bad_faults) {
      auto reply = co_await control(http::verb::post, "/faults", body);
      EXPECT_EQ(reply.status, 400u) << body;
      EXPECT_NE(std::string(reply.body.at("error").as_string()).find(why), std::string::npos) << reply.body;
    }
    for (const auto* body : {R"({"user_id":"alice","code":1005})", R"({"user_id":"alice","code":99999})",
                             R"({"user_id":"alice"})", R"({"user_id":"alice","code":4015.5})", R"({"code":4015})",
                             R"({"user_id":"","code":4015})"}) {
      auto reply = co_await control(http::verb::post, "/disconnect", body);
      EXPECT_EQ(reply.status, 400u) << body;
    }
    EXPECT_EQ((co_await control(http::verb::get, "/faults")).status, 405u);
    EXPECT_EQ((co_await control(http::verb::post, "/stats", "{}")).status, 405u);
    EXPECT_EQ((co_await control(http::verb::get, "/nothing-here")).status, 404u);
    EXPECT_EQ((co_await control(http::verb::post, "/faults", std::string(100'000, ' '))).status, 413u);
    EXPECT_EQ((co_await control_raw("\x01\x02 hello\r\n\r\n")).status, 400u);

    // Nothing was changed, and the gateway still serves its client.
    auto stats = co_await control(http::verb::get, "/stats");
    EXPECT_EQ(stats.status, 200u);
    EXPECT_TRUE(stats.body.at("closed").as_object().empty());
    co_await send_audio(alice, 0, alice.description.secret_key);
    co_await until_datagrams(2);
    EXPECT_EQ(dropped(emulator->stats(), "injected loss"), 0u);
    EXPECT_EQ(emulator->relay()->streams().at(0).packets, 1u);
    emulator->stop();
  });
}

}  // namespace
}  // namespace spence::net
