// The voice gateway v8 payloads: every message written to its exact JSON and read back, Discord's
// own shapes (extra fields, other key orders, floats where integers were expected) read, each
// malformed input refused with the field it concerns, unknown opcodes kept as unknown_op, the
// binary frame envelope in both directions, and no secret in describe().

#include "net/voice/voice_gateway_payloads.hpp"

#include <gtest/gtest.h>

#include <numeric>

namespace spence::net {
namespace {

using bytes = std::vector<std::uint8_t>;

std::array<std::uint8_t, transport_key_bytes> counting_key() {
  std::array<std::uint8_t, transport_key_bytes> key{};
  std::iota(key.begin(), key.end(), std::uint8_t{224});  // 224..255: the last byte is the top of the range
  return key;
}

const std::string counting_key_json =
    "[224,225,226,227,228,229,230,231,232,233,234,235,236,237,238,239,"
    "240,241,242,243,244,245,246,247,248,249,250,251,252,253,254,255]";

struct client_case {
  voice_client_message message;
  std::string json;
};

TEST(voice_gateway_payloads, EveryClientMessageIsWrittenExactlyAndReadBack) {
  const std::vector<client_case> cases{
      {voice_identify{"41771983423143937", "104694319306248192", "my_session_id", "my_token", 1},
       R"({"op":0,"d":{"server_id":"41771983423143937","user_id":"104694319306248192","session_id":"my_session_id",)"
       R"("token":"my_token","max_dave_protocol_version":1}})"},
      {voice_select_protocol{"udp", "127.0.0.1", 1337, "aead_aes256_gcm_rtpsize"},
       R"({"op":1,"d":{"protocol":"udp","data":{"address":"127.0.0.1","port":1337,"mode":"aead_aes256_gcm_rtpsize"}}})"},
      {voice_heartbeat{1501184119561, 10}, R"({"op":3,"d":{"t":1501184119561,"seq_ack":10}})"},
      {voice_heartbeat{9007199254740991, -1}, R"({"op":3,"d":{"t":9007199254740991,"seq_ack":-1}})"},
      {voice_speaking{speaking_microphone, 0, 4294967295u}, R"({"op":5,"d":{"speaking":1,"delay":0,"ssrc":4294967295}})"},
      {voice_resume{"41771983423143937", "my_session_id", "my_token", 65535},
       R"({"op":7,"d":{"server_id":"41771983423143937","session_id":"my_session_id","token":"my_token","seq_ack":65535}})"},
      {dave_transition_ready{10}, R"({"op":23,"d":{"transition_id":10}})"},
      {dave_mls_invalid_commit_welcome{65535}, R"({"op":31,"d":{"transition_id":65535}})"},
      {unknown_op{12}, R"({"op":12,"d":null})"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.json);
    EXPECT_EQ(serialize_voice_client_message(c.message), c.json);
    auto read = parse_voice_client_message(c.json);
    ASSERT_TRUE(read) << read.error().message();
    EXPECT_EQ(*read, c.message);
  }
}

struct server_case {
  voice_server_message message;
  std::optional<std::int64_t> seq;
  std::string json;
};

TEST(voice_gateway_payloads, EveryServerMessageIsWrittenExactlyAndReadBackWithItsSeq) {
  const std::vector<server_case> cases{
      {voice_hello{41250}, std::nullopt, R"({"op":8,"d":{"heartbeat_interval":41250}})"},
      {voice_ready{0xfedcba98, "127.0.0.1", 65535, {"aead_aes256_gcm_rtpsize", "aead_xchacha20_poly1305_rtpsize"}}, 1,
       R"({"op":2,"d":{"ssrc":4275878552,"ip":"127.0.0.1","port":65535,)"
       R"("modes":["aead_aes256_gcm_rtpsize","aead_xchacha20_poly1305_rtpsize"]},"seq":1})"},
      {voice_session_description{"aead_xchacha20_poly1305_rtpsize", counting_key(), 1}, 2,
       R"({"op":4,"d":{"mode":"aead_xchacha20_poly1305_rtpsize","secret_key":)" + counting_key_json +
           R"(,"dave_protocol_version":1},"seq":2})"},
      {voice_user_speaking{speaking_microphone | speaking_priority, 7, "104694319306248192"}, 3,
       R"({"op":5,"d":{"speaking":5,"ssrc":7,"user_id":"104694319306248192"},"seq":3})"},
      {voice_heartbeat_ack{1501184119561}, std::nullopt, R"({"op":6,"d":{"t":1501184119561}})"},
      {voice_resumed{}, std::nullopt, R"({"op":9,"d":null})"},
      {voice_clients_connect{{"1", "2"}}, 4, R"({"op":11,"d":{"user_ids":["1","2"]},"seq":4})"},
      {voice_clients_connect{}, 5, R"({"op":11,"d":{"user_ids":[]},"seq":5})"},
      {voice_client_disconnect{"3"}, 6, R"({"op":13,"d":{"user_id":"3"},"seq":6})"},
      {dave_prepare_transition{0, 10}, 7, R"({"op":21,"d":{"protocol_version":0,"transition_id":10},"seq":7})"},
      {dave_execute_transition{10}, 8, R"({"op":22,"d":{"transition_id":10},"seq":8})"},
      {dave_prepare_epoch{1, 1}, 9, R"({"op":24,"d":{"protocol_version":1,"epoch":1},"seq":9})"},
      {unknown_op{18}, 10, R"({"op":18,"d":null,"seq":10})"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.json);
    EXPECT_EQ(serialize_voice_server_message(c.message, c.seq), c.json);
    auto read = parse_voice_server_message(c.json);
    ASSERT_TRUE(read) << read.error().message();
    EXPECT_EQ(read->message, c.message);
    EXPECT_EQ(read->seq, c.seq);
  }
}

TEST(voice_gateway_payloads, DiscordsShapesAreReadWhateverTheKeyOrderAndExtraFields) {
  // Ready as the documentation shows it: the erroneous heartbeat_interval and other fields ignored.
  auto ready = parse_voice_server_message(
      R"({ "seq": 1, "d": {"ssrc": 1, "ip": "127.0.0.1", "port": 1234, "experiments": ["x"],)"
      R"( "modes": ["aead_xchacha20_poly1305_rtpsize"], "heartbeat_interval": 1, "streams": []}, "op": 2 })");
  ASSERT_TRUE(ready) << ready.error().message();
  EXPECT_EQ(ready->message, voice_server_message(voice_ready{1, "127.0.0.1", 1234, {"aead_xchacha20_poly1305_rtpsize"}}));
  EXPECT_EQ(ready->seq, 1);

  // Hello with the version and a float interval, as older servers sent it.
  auto hello = parse_voice_server_message(R"({"op":8,"d":{"v":8,"heartbeat_interval":13750.6}})");
  ASSERT_TRUE(hello);
  EXPECT_EQ(hello->message, voice_server_message(voice_hello{13751}));
  EXPECT_FALSE(hello->seq);

  // Without DAVE fields: no DAVE (version 0); a heartbeat without seq_ack acknowledges nothing.
  auto description = parse_voice_server_message(
      R"({"op":4,"d":{"mode":"aead_aes256_gcm_rtpsize","secret_key":)" + counting_key_json + R"(,"media_session_id":"x"}})");
  ASSERT_TRUE(description);
  EXPECT_EQ(std::get<voice_session_description>(description->message).dave_protocol_version, 0);
  EXPECT_EQ(std::get<voice_session_description>(description->message).secret_key, counting_key());
  auto heartbeat = parse_voice_client_message(R"({"op":3,"d":{"t":5}})");
  ASSERT_TRUE(heartbeat);
  EXPECT_EQ(*heartbeat, voice_client_message(voice_heartbeat{5, -1}));
  auto identify = parse_voice_client_message(R"({"op":0,"d":{"server_id":"1","user_id":"2","session_id":"s","token":"t"}})");
  ASSERT_TRUE(identify);
  EXPECT_EQ(std::get<voice_identify>(*identify).max_dave_protocol_version, 0);

  // Resumed carries no data, whatever d holds.
  auto resumed = parse_voice_server_message(R"({"op":9})");
  ASSERT_TRUE(resumed);
  EXPECT_EQ(resumed->message, voice_server_message(voice_resumed{}));
}

TEST(voice_gateway_payloads, UnknownOpcodesAreKeptToBeIgnoredNeverErrors) {
  // Undocumented server opcodes, a client opcode sent to a client, and numbers past any opcode.
  for (std::int64_t op : std::vector<std::int64_t>{12, 15, 18, 20, 0, 3, 26, 255, 256, -1, 4000000000}) {
    const std::string json = R"({"op":)" + std::to_string(op) + R"(,"d":{"whatever":[1,{"x":null}]},"seq":42})";
    SCOPED_TRACE(json);
    auto read = parse_voice_server_message(json);
    ASSERT_TRUE(read) << read.error().message();
    EXPECT_EQ(read->message, voice_server_message(unknown_op{op}));
    EXPECT_EQ(read->seq, 42);
  }
  auto read = parse_voice_client_message(R"({"op":2,"d":{"ssrc":1}})");
  ASSERT_TRUE(read);
  EXPECT_EQ(*read, voice_client_message(unknown_op{2}));
}

struct bad_case {
  std::string json;
  voice_gateway_errc code;
  std::string field;
};

TEST(voice_gateway_payloads, MalformedServerMessagesAreRefusedNamingTheField) {
  const std::string key31 = counting_key_json.substr(0, counting_key_json.rfind(',')) + "]";
  const std::string description = R"({"op":4,"d":{"mode":"m","secret_key":)";
  const std::vector<bad_case> cases{
      {"", voice_gateway_errc::bad_json, ""},
      {R"({"op":2,"d":{)", voice_gateway_errc::bad_json, ""},
      {"[2]", voice_gateway_errc::not_an_object, ""},
      {"null", voice_gateway_errc::not_an_object, ""},
      {R"({"d":{}})", voice_gateway_errc::missing_field, "op"},
      {R"({"op":"2","d":{}})", voice_gateway_errc::wrong_type, "op"},
      {R"({"op":2.0,"d":{}})", voice_gateway_errc::wrong_type, "op"},
      {R"({"op":8,"d":{},"seq":"1"})", voice_gateway_errc::wrong_type, "seq"},
      {R"({"op":8,"d":{"heartbeat_interval":1},"seq":18446744073709551615})", voice_gateway_errc::out_of_range, "seq"},
      {R"({"op":2})", voice_gateway_errc::missing_field, "d"},
      {R"({"op":2,"d":[]})", voice_gateway_errc::not_an_object, "d"},
      {R"({"op":2,"d":{"ip":"1.2.3.4","port":1,"modes":[]}})", voice_gateway_errc::missing_field, "d.ssrc"},
      {R"({"op":2,"d":{"ssrc":null,"ip":"1.2.3.4","port":1,"modes":[]}})", voice_gateway_errc::missing_field, "d.ssrc"},
      {R"({"op":2,"d":{"ssrc":"1","ip":"1.2.3.4","port":1,"modes":[]}})", voice_gateway_errc::wrong_type, "d.ssrc"},
      {R"({"op":2,"d":{"ssrc":-1,"ip":"1.2.3.4","port":1,"modes":[]}})", voice_gateway_errc::out_of_range, "d.ssrc"},
      {R"({"op":2,"d":{"ssrc":4294967296,"ip":"1.2.3.4","port":1,"modes":[]}})", voice_gateway_errc::out_of_range, "d.ssrc"},
      {R"({"op":2,"d":{"ssrc":1,"ip":"1.2.3.4","port":65536,"modes":[]}})", voice_gateway_errc::out_of_range, "d.port"},
      {R"({"op":2,"d":{"ssrc":1,"ip":7,"port":1,"modes":[]}})", voice_gateway_errc::wrong_type, "d.ip"},
      {R"({"op":2,"d":{"ssrc":1,"ip":"1.2.3.4","port":1,"modes":"x"}})", voice_gateway_errc::wrong_type, "d.modes"},
      {R"({"op":2,"d":{"ssrc":1,"ip":"1.2.3.4","port":1,"modes":["x",1]}})", voice_gateway_errc::wrong_type, "d.modes[1]"},
      {description + key31 + "}}", voice_gateway_errc::bad_length, "d.secret_key"},
      {description + "[]}}", voice_gateway_errc::bad_length, "d.secret_key"},
      {description + "\"AAAA\"}}", voice_gateway_errc::wrong_type, "d.secret_key"},
      {R"({"op":4,"d":{"mode":"m"}})", voice_gateway_errc::missing_field, "d.secret_key"},
      {R"({"op":4,"d":{"secret_key":)" + counting_key_json + "}}", voice_gateway_errc::missing_field, "d.mode"},
      {R"({"op":8,"d":{"heartbeat_interval":-1}})", voice_gateway_errc::out_of_range, "d.heartbeat_interval"},
      {R"({"op":8,"d":{"heartbeat_interval":1e300}})", voice_gateway_errc::out_of_range, "d.heartbeat_interval"},
      {R"({"op":8,"d":{"heartbeat_interval":"41250"}})", voice_gateway_errc::wrong_type, "d.heartbeat_interval"},
      {R"({"op":6,"d":1501184119561})", voice_gateway_errc::not_an_object, "d"},
      {R"({"op":6,"d":{"t":"1501184119561"}})", voice_gateway_errc::wrong_type, "d.t"},
      {R"({"op":11,"d":{"user_ids":[1]}})", voice_gateway_errc::wrong_type, "d.user_ids[0]"},
      {R"({"op":13,"d":{}})", voice_gateway_errc::missing_field, "d.user_id"},
      {R"({"op":21,"d":{"protocol_version":1,"transition_id":65536}})", voice_gateway_errc::out_of_range,
       "d.transition_id"},
      {R"({"op":24,"d":{"protocol_version":1,"epoch":-1}})", voice_gateway_errc::out_of_range, "d.epoch"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.json);
    auto read = parse_voice_server_message(c.json);
    ASSERT_FALSE(read);
    EXPECT_EQ(read.error().code, make_error_code(c.code));
    EXPECT_EQ(read.error().field, c.field);
  }
  // Each secret_key byte is 0..255 and an integer.
  for (const std::string bad : {"256", "-1", "1.0", "\"1\"", "null"}) {
    std::string key = counting_key_json;
    key.replace(key.find("227"), 3, bad);
    SCOPED_TRACE(key);
    auto read = parse_voice_server_message(description + key + "}}");
    ASSERT_FALSE(read);
    EXPECT_EQ(read.error().field, "d.secret_key[3]");
    EXPECT_EQ(read.error().code, make_error_code(bad == "256" || bad == "-1" ? voice_gateway_errc::out_of_range
                                                                              : voice_gateway_errc::wrong_type));
  }
}

TEST(voice_gateway_payloads, MalformedClientMessagesAreRefusedNamingTheField) {
  const std::vector<bad_case> cases{
      {R"({"op":0,"d":{"server_id":1,"user_id":"2","session_id":"s","token":"t"}})", voice_gateway_errc::wrong_type,
       "d.server_id"},
      {R"({"op":0,"d":{"server_id":"1","user_id":"2","session_id":"s"}})", voice_gateway_errc::missing_field, "d.token"},
      {R"({"op":1,"d":{"protocol":"udp"}})", voice_gateway_errc::missing_field, "d.data"},
      {R"({"op":1,"d":{"protocol":"udp","data":"x"}})", voice_gateway_errc::not_an_object, "d.data"},
      {R"({"op":1,"d":{"protocol":"udp","data":{"address":"a","port":99999,"mode":"m"}}})",
       voice_gateway_errc::out_of_range, "d.data.port"},
      {R"({"op":3,"d":7})", voice_gateway_errc::not_an_object, "d"},
      {R"({"op":3,"d":{"t":"7"}})", voice_gateway_errc::wrong_type, "d.t"},
      {R"({"op":3,"d":{"t":7,"seq_ack":"1"}})", voice_gateway_errc::wrong_type, "d.seq_ack"},
      {R"({"op":5,"d":{"speaking":true,"ssrc":1}})", voice_gateway_errc::wrong_type, "d.speaking"},
      {R"({"op":7,"d":{"server_id":"1","token":"t"}})", voice_gateway_errc::missing_field, "d.session_id"},
      {R"({"op":23,"d":{}})", voice_gateway_errc::missing_field, "d.transition_id"},
      {R"({"op":31,"d":{"transition_id":-1}})", voice_gateway_errc::out_of_range, "d.transition_id"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.json);
    auto read = parse_voice_client_message(c.json);
    ASSERT_FALSE(read);
    EXPECT_EQ(read.error().code, make_error_code(c.code));
    EXPECT_EQ(read.error().field, c.field);
  }
}

TEST(voice_gateway_payloads, ErrorsSayWhatAndWhere) {
  auto read = parse_voice_server_message(R"({"op":2,"d":{"ip":"1.2.3.4","port":1,"modes":[]}})");
  ASSERT_FALSE(read);
  EXPECT_EQ(read.error().message(), "missing field d.ssrc");
  EXPECT_EQ(std::string(read.error().code.category().name()), "spence.voice_gateway");
  EXPECT_EQ(parse_voice_server_message("{").error().message(), "bad JSON");
  EXPECT_THROW((void)read.value(), boost::system::system_error);
}

TEST(voice_gateway_payloads, BinaryFramesCarryASeqOnlyFromTheServer) {
  const bytes payload{0x40, 0x41, 0x04, 0xca};
  bytes frame;
  write_voice_server_binary_frame(0x1234, voice_op::dave_mls_external_sender, payload, frame);
  EXPECT_EQ(frame, (bytes{0x12, 0x34, 0x19, 0x40, 0x41, 0x04, 0xca}));
  auto server = parse_voice_server_binary_frame(frame);
  ASSERT_TRUE(server);
  EXPECT_EQ(server->seq, 0x1234);
  EXPECT_EQ(server->op, voice_op::dave_mls_external_sender);
  EXPECT_EQ(bytes(server->payload.begin(), server->payload.end()), payload);

  write_voice_client_binary_frame(voice_op::dave_mls_key_package, payload, frame);
  EXPECT_EQ(frame, (bytes{0x1a, 0x40, 0x41, 0x04, 0xca}));
  auto client = parse_voice_client_binary_frame(frame);
  ASSERT_TRUE(client);
  EXPECT_EQ(client->op, voice_op::dave_mls_key_package);
  EXPECT_EQ(bytes(client->payload.begin(), client->payload.end()), payload);

  // The opcode numbers 25-30, and an empty payload.
  const std::vector<std::pair<voice_op, std::uint8_t>> numbers{
      {voice_op::dave_mls_external_sender, 25}, {voice_op::dave_mls_key_package, 26},
      {voice_op::dave_mls_proposals, 27},       {voice_op::dave_mls_commit_welcome, 28},
      {voice_op::dave_mls_announce_commit_transition, 29}, {voice_op::dave_mls_welcome, 30}};
  for (auto [op, number] : numbers) {
    write_voice_server_binary_frame(0xffff, op, {}, frame);
    EXPECT_EQ(frame, (bytes{0xff, 0xff, number}));
    EXPECT_EQ(parse_voice_server_binary_frame(frame)->payload.size(), 0u);
  }
}

TEST(voice_gateway_payloads, TruncatedBinaryFramesAreRefused) {
  for (const bytes& frame : {bytes{}, bytes{0x00}, bytes{0x00, 0x01}})
    EXPECT_EQ(parse_voice_server_binary_frame(frame).error().code, make_error_code(voice_gateway_errc::truncated));
  EXPECT_EQ(parse_voice_client_binary_frame(bytes{}).error().code, make_error_code(voice_gateway_errc::truncated));
}

TEST(voice_gateway_payloads, DescribeNamesTheOpAndNeverASecret) {
  EXPECT_EQ(describe(voice_server_message(voice_session_description{"aead_aes256_gcm_rtpsize", counting_key(), 1})),
            "session_description mode=aead_aes256_gcm_rtpsize dave_protocol_version=1");
  EXPECT_EQ(describe(voice_client_message(voice_identify{"1", "2", "my_session_id", "my_token", 1})),
            "identify server_id=1 user_id=2 max_dave_protocol_version=1");
  EXPECT_EQ(describe(voice_client_message(voice_resume{"1", "my_session_id", "my_token", 4})),
            "resume server_id=1 seq_ack=4");
  EXPECT_EQ(describe(voice_server_message(voice_ready{1, "127.0.0.1", 2, {"a", "b"}})),
            "ready ssrc=1 ip=127.0.0.1 port=2 modes=a,b");
  EXPECT_EQ(describe(voice_server_message(voice_resumed{})), "resumed");
  EXPECT_EQ(describe(voice_server_message(unknown_op{18})), "unknown op 18");
  EXPECT_EQ(to_string(static_cast<voice_op>(99)), "op 99");
}

}  // namespace
}  // namespace spence::net
