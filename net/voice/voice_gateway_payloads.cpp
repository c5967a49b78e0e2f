#include "net/voice/voice_gateway_payloads.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <cmath>
#include <concepts>
#include <limits>
#include <utility>

namespace spence::net {
namespace json = boost::json;
namespace {

// Thrown inside the readers and turned into the result at the two entry points, so each field
// reads in one line.
struct parse_failure {
  voice_gateway_error error;
};

[[noreturn]] void fail(voice_gateway_errc code, std::string field) {
  throw parse_failure{{make_error_code(code), std::move(field)}};
}

template <std::integral T>
T integer_of(const json::value& v, const std::string& field) {
  if (v.is_int64()) {
    if (!std::in_range<T>(v.get_int64())) fail(voice_gateway_errc::out_of_range, field);
    return static_cast<T>(v.get_int64());
  }
  if (v.is_uint64()) {
    if (!std::in_range<T>(v.get_uint64())) fail(voice_gateway_errc::out_of_range, field);
    return static_cast<T>(v.get_uint64());
  }
  fail(voice_gateway_errc::wrong_type, field);
}

std::string string_of(const json::value& v, const std::string& field) {
  if (!v.is_string()) fail(voice_gateway_errc::wrong_type, field);
  return std::string(v.get_string());
}

// The fields of one JSON object, each error naming its path ("d.ssrc"). A null field counts as absent.
class object_reader {
 public:
  object_reader(const json::value& v, std::string path) : path_(std::move(path)) {
    const bool absent = v.is_null() && !path_.empty();
    if (!v.is_object()) fail(absent ? voice_gateway_errc::missing_field : voice_gateway_errc::not_an_object, path_);
    object_ = &v.get_object();
  }

  const json::value* find(std::string_view key) const {
    const json::value* v = object_->if_contains(key);
    return v && !v->is_null() ? v : nullptr;
  }
  const json::value& at(std::string_view key) const {
    const json::value* v = find(key);
    if (!v) fail(voice_gateway_errc::missing_field, field(key));
    return *v;
  }
  std::string field(std::string_view key) const {
    return path_.empty() ? std::string(key) : path_ + "." + std::string(key);
  }

  std::string string(std::string_view key) const { return string_of(at(key), field(key)); }
  template <std::integral T>
  T integer(std::string_view key) const {
    return integer_of<T>(at(key), field(key));
  }
  template <std::integral T>
  std::optional<T> optional_integer(std::string_view key) const {
    const json::value* v = find(key);
    return v ? std::optional<T>(integer_of<T>(*v, field(key))) : std::nullopt;
  }
  template <std::integral T>
  T integer_or(std::string_view key, T fallback) const {
    return optional_integer<T>(key).value_or(fallback);
  }
  std::vector<std::string> strings(std::string_view key) const {
    const json::value& v = at(key);
    if (!v.is_array()) fail(voice_gateway_errc::wrong_type, field(key));
    std::vector<std::string> out;
    for (std::size_t i = 0; i < v.get_array().size(); ++i)
      out.push_back(string_of(v.get_array()[i], fmt::format("{}[{}]", field(key), i)));
    return out;
  }

 private:
  std::string path_;
  const json::object* object_ = nullptr;
};

// ---- reading ----

std::array<std::uint8_t, transport_key_bytes> secret_key_of(const object_reader& d) {
  const json::value& v = d.at("secret_key");
  const std::string field = d.field("secret_key");
  if (!v.is_array()) fail(voice_gateway_errc::wrong_type, field);
  const json::array& a = v.get_array();
  if (a.size() != transport_key_bytes) fail(voice_gateway_errc::bad_length, field);
  std::array<std::uint8_t, transport_key_bytes> key{};
  for (std::size_t i = 0; i < key.size(); ++i) key[i] = integer_of<std::uint8_t>(a[i], fmt::format("{}[{}]", field, i));
  return key;
}

std::uint32_t interval_ms_of(const object_reader& d) {
  const json::value& v = d.at("heartbeat_interval");
  const std::string field = d.field("heartbeat_interval");
  if (!v.is_double()) return integer_of<std::uint32_t>(v, field);
  const double ms = std::round(v.get_double());
  if (!(ms >= 0 && ms <= std::numeric_limits<std::uint32_t>::max())) fail(voice_gateway_errc::out_of_range, field);
  return static_cast<std::uint32_t>(ms);
}

voice_client_message client_message_of(std::int64_t op, const json::value& d_value) {
  if (!std::in_range<std::uint8_t>(op)) return unknown_op{op};
  switch (static_cast<voice_op>(op)) {
    case voice_op::identify: {
      const object_reader d(d_value, "d");
      return voice_identify{d.string("server_id"), d.string("user_id"), d.string("session_id"), d.string("token"),
                            d.integer_or<std::uint16_t>("max_dave_protocol_version", 0)};
    }
    case voice_op::select_protocol: {
      const object_reader d(d_value, "d");
      const object_reader data(d.at("data"), "d.data");
      return voice_select_protocol{d.string("protocol"), data.string("address"), data.integer<std::uint16_t>("port"),
                                   data.string("mode")};
    }
    case voice_op::heartbeat: {
      const object_reader d(d_value, "d");
      return voice_heartbeat{d.integer<std::uint64_t>("t"), d.integer_or<std::int64_t>("seq_ack", -1)};
    }
    case voice_op::speaking: {
      const object_reader d(d_value, "d");
      return voice_speaking{d.integer<std::uint32_t>("speaking"), d.integer_or<std::uint32_t>("delay", 0),
                            d.integer<std::uint32_t>("ssrc")};
    }
    case voice_op::resume: {
      const object_reader d(d_value, "d");
      return voice_resume{d.string("server_id"), d.string("session_id"), d.string("token"),
                          d.integer_or<std::int64_t>("seq_ack", -1)};
    }
    case voice_op::dave_transition_ready:
      return dave_transition_ready{object_reader(d_value, "d").integer<std::uint16_t>("transition_id")};
    case voice_op::dave_mls_invalid_commit_welcome:
      return dave_mls_invalid_commit_welcome{object_reader(d_value, "d").integer<std::uint16_t>("transition_id")};
    default: return unknown_op{op};
  }
}

voice_server_message server_message_of(std::int64_t op, const json::value& d_value) {
  if (!std::in_range<std::uint8_t>(op)) return unknown_op{op};
  switch (static_cast<voice_op>(op)) {
    case voice_op::hello: return voice_hello{interval_ms_of(object_reader(d_value, "d"))};
    case voice_op::ready: {
      const object_reader d(d_value, "d");
      return voice_ready{d.integer<std::uint32_t>("ssrc"), d.string("ip"), d.integer<std::uint16_t>("port"),
                         d.strings("modes")};
    }
    case voice_op::session_description: {
      const object_reader d(d_value, "d");
      return voice_session_description{d.string("mode"), secret_key_of(d),
                                       d.integer_or<std::uint16_t>("dave_protocol_version", 0)};
    }
    case voice_op::speaking: {
      const object_reader d(d_value, "d");
      return voice_user_speaking{d.integer<std::uint32_t>("speaking"), d.integer<std::uint32_t>("ssrc"),
                                 d.string("user_id")};
    }
    case voice_op::heartbeat_ack: return voice_heartbeat_ack{object_reader(d_value, "d").integer<std::uint64_t>("t")};
    case voice_op::resumed: return voice_resumed{};
    case voice_op::clients_connect: return voice_clients_connect{object_reader(d_value, "d").strings("user_ids")};
    case voice_op::client_disconnect: return voice_client_disconnect{object_reader(d_value, "d").string("user_id")};
    case voice_op::dave_prepare_transition: {
      const object_reader d(d_value, "d");
      return dave_prepare_transition{d.integer<std::uint16_t>("protocol_version"),
                                     d.integer<std::uint16_t>("transition_id")};
    }
    case voice_op::dave_execute_transition:
      return dave_execute_transition{object_reader(d_value, "d").integer<std::uint16_t>("transition_id")};
    case voice_op::dave_prepare_epoch: {
      const object_reader d(d_value, "d");
      return dave_prepare_epoch{d.integer<std::uint16_t>("protocol_version"), d.integer<std::uint64_t>("epoch")};
    }
    default: return unknown_op{op};
  }
}

// The envelope: {"op": integer, "d": any, "seq": optional integer}. Calls `read(op, d, seq)`.
template <typename Read>
auto read_envelope(std::string_view text, Read read)
    -> voice_gateway_result<decltype(read(0, json::value{}, std::optional<std::int64_t>{}))> {
  boost::system::error_code ec;
  const json::value doc = json::parse(text, ec);
  if (ec) return voice_gateway_error{make_error_code(voice_gateway_errc::bad_json), {}};
  try {
    const object_reader top(doc, "");
    const json::value* d = top.find("d");
    static const json::value null;
    return read(top.integer<std::int64_t>("op"), d ? *d : null, top.optional_integer<std::int64_t>("seq"));
  } catch (const parse_failure& failure) {
    return failure.error;
  }
}

// ---- writing ----

json::array array_of(const auto& items) {
  json::array a;
  for (const auto& item : items) a.emplace_back(item);
  return a;
}

json::value d_of(const voice_identify& m) {
  return json::object{{"server_id", m.server_id},
                      {"user_id", m.user_id},
                      {"session_id", m.session_id},
                      {"token", m.token},
                      {"max_dave_protocol_version", m.max_dave_protocol_version}};
}
json::value d_of(const voice_select_protocol& m) {
  return json::object{{"protocol", m.protocol},
                      {"data", json::object{{"address", m.address}, {"port", m.port}, {"mode", m.mode}}}};
}
json::value d_of(const voice_heartbeat& m) { return json::object{{"t", m.t}, {"seq_ack", m.seq_ack}}; }
json::value d_of(const voice_speaking& m) {
  return json::object{{"speaking", m.speaking}, {"delay", m.delay}, {"ssrc", m.ssrc}};
}
json::value d_of(const voice_resume& m) {
  return json::object{
      {"server_id", m.server_id}, {"session_id", m.session_id}, {"token", m.token}, {"seq_ack", m.seq_ack}};
}
json::value d_of(const dave_transition_ready& m) { return json::object{{"transition_id", m.transition_id}}; }
json::value d_of(const dave_mls_invalid_commit_welcome& m) { return json::object{{"transition_id", m.transition_id}}; }
json::value d_of(const voice_hello& m) { return json::object{{"heartbeat_interval", m.heartbeat_interval_ms}}; }
json::value d_of(const voice_ready& m) {
  return json::object{{"ssrc", m.ssrc}, {"ip", m.ip}, {"port", m.port}, {"modes", array_of(m.modes)}};
}
json::value d_of(const voice_session_description& m) {
  return json::object{
      {"mode", m.mode}, {"secret_key", array_of(m.secret_key)}, {"dave_protocol_version", m.dave_protocol_version}};
}
json::value d_of(const voice_user_speaking& m) {
  return json::object{{"speaking", m.speaking}, {"ssrc", m.ssrc}, {"user_id", m.user_id}};
}
json::value d_of(const voice_heartbeat_ack& m) { return json::object{{"t", m.t}}; }
json::value d_of(const voice_resumed&) { return nullptr; }
json::value d_of(const voice_clients_connect& m) { return json::object{{"user_ids", array_of(m.user_ids)}}; }
json::value d_of(const voice_client_disconnect& m) { return json::object{{"user_id", m.user_id}}; }
json::value d_of(const dave_prepare_transition& m) {
  return json::object{{"protocol_version", m.protocol_version}, {"transition_id", m.transition_id}};
}
json::value d_of(const dave_execute_transition& m) { return json::object{{"transition_id", m.transition_id}}; }
json::value d_of(const dave_prepare_epoch& m) {
  return json::object{{"protocol_version", m.protocol_version}, {"epoch", m.epoch}};
}
json::value d_of(const unknown_op&) { return nullptr; }

std::int64_t op_of(const unknown_op& m) { return m.op; }
std::int64_t op_of(const auto& m) { return static_cast<std::int64_t>(m.op); }

template <typename Variant>
json::object envelope_of(const Variant& message) {
  return std::visit([](const auto& m) { return json::object{{"op", op_of(m)}, {"d", d_of(m)}}; }, message);
}

// ---- describing ----

std::string fields_of(const voice_identify& m) {
  // No token, no session ID: together they are the credentials of the voice session.
  return fmt::format("server_id={} user_id={} max_dave_protocol_version={}", m.server_id, m.user_id,
                     m.max_dave_protocol_version);
}
std::string fields_of(const voice_select_protocol& m) {
  return fmt::format("protocol={} address={} port={} mode={}", m.protocol, m.address, m.port, m.mode);
}
std::string fields_of(const voice_heartbeat& m) { return fmt::format("t={} seq_ack={}", m.t, m.seq_ack); }
std::string fields_of(const voice_speaking& m) {
  return fmt::format("speaking={} delay={} ssrc={}", m.speaking, m.delay, m.ssrc);
}
std::string fields_of(const voice_resume& m) { return fmt::format("server_id={} seq_ack={}", m.server_id, m.seq_ack); }
std::string fields_of(const dave_transition_ready& m) { return fmt::format("transition_id={}", m.transition_id); }
std::string fields_of(const dave_mls_invalid_commit_welcome& m) {
  return fmt::format("transition_id={}", m.transition_id);
}
std::string fields_of(const voice_hello& m) { return fmt::format("heartbeat_interval={}ms", m.heartbeat_interval_ms); }
std::string fields_of(const voice_ready& m) {
  return fmt::format("ssrc={} ip={} port={} modes={}", m.ssrc, m.ip, m.port, fmt::join(m.modes, ","));
}
std::string fields_of(const voice_session_description& m) {
  // Never the key.
  return fmt::format("mode={} dave_protocol_version={}", m.mode, m.dave_protocol_version);
}
std::string fields_of(const voice_user_speaking& m) {
  return fmt::format("speaking={} ssrc={} user_id={}", m.speaking, m.ssrc, m.user_id);
}
std::string fields_of(const voice_heartbeat_ack& m) { return fmt::format("t={}", m.t); }
std::string fields_of(const voice_resumed&) { return {}; }
std::string fields_of(const voice_clients_connect& m) { return fmt::format("user_ids={}", fmt::join(m.user_ids, ",")); }
std::string fields_of(const voice_client_disconnect& m) { return fmt::format("user_id={}", m.user_id); }
std::string fields_of(const dave_prepare_transition& m) {
  return fmt::format("protocol_version={} transition_id={}", m.protocol_version, m.transition_id);
}
std::string fields_of(const dave_execute_transition& m) { return fmt::format("transition_id={}", m.transition_id); }
std::string fields_of(const dave_prepare_epoch& m) {
  return fmt::format("protocol_version={} epoch={}", m.protocol_version, m.epoch);
}

std::string description_of(const unknown_op& m) { return fmt::format("unknown op {}", m.op); }
std::string description_of(const auto& m) {
  const std::string fields = fields_of(m);
  return fields.empty() ? to_string(m.op) : to_string(m.op) + " " + fields;
}

}  // namespace

std::string to_string(voice_op op) {
  switch (op) {
    case voice_op::identify: return "identify";
    case voice_op::select_protocol: return "select_protocol";
    case voice_op::ready: return "ready";
    case voice_op::heartbeat: return "heartbeat";
    case voice_op::session_description: return "session_description";
    case voice_op::speaking: return "speaking";
    case voice_op::heartbeat_ack: return "heartbeat_ack";
    case voice_op::resume: return "resume";
    case voice_op::hello: return "hello";
    case voice_op::resumed: return "resumed";
    case voice_op::clients_connect: return "clients_connect";
    case voice_op::client_disconnect: return "client_disconnect";
    case voice_op::dave_prepare_transition: return "dave_prepare_transition";
    case voice_op::dave_execute_transition: return "dave_execute_transition";
    case voice_op::dave_transition_ready: return "dave_transition_ready";
    case voice_op::dave_prepare_epoch: return "dave_prepare_epoch";
    case voice_op::dave_mls_external_sender: return "dave_mls_external_sender";
    case voice_op::dave_mls_key_package: return "dave_mls_key_package";
    case voice_op::dave_mls_proposals: return "dave_mls_proposals";
    case voice_op::dave_mls_commit_welcome: return "dave_mls_commit_welcome";
    case voice_op::dave_mls_announce_commit_transition: return "dave_mls_announce_commit_transition";
    case voice_op::dave_mls_welcome: return "dave_mls_welcome";
    case voice_op::dave_mls_invalid_commit_welcome: return "dave_mls_invalid_commit_welcome";
  }
  return fmt::format("op {}", static_cast<int>(op));
}

std::string serialize_voice_client_message(const voice_client_message& message) {
  return json::serialize(envelope_of(message));
}

std::string serialize_voice_server_message(const voice_server_message& message, std::optional<std::int64_t> seq) {
  json::object envelope = envelope_of(message);
  if (seq) envelope["seq"] = *seq;
  return json::serialize(envelope);
}

voice_gateway_result<voice_client_message> parse_voice_client_message(std::string_view text) {
  return read_envelope(text, [](std::int64_t op, const json::value& d, std::optional<std::int64_t>) {
    return client_message_of(op, d);
  });
}

voice_gateway_result<received_voice_server_message> parse_voice_server_message(std::string_view text) {
  return read_envelope(text, [](std::int64_t op, const json::value& d, std::optional<std::int64_t> seq) {
    return received_voice_server_message{server_message_of(op, d), seq};
  });
}

std::string describe(const voice_client_message& message) {
  return std::visit([](const auto& m) { return description_of(m); }, message);
}

std::string describe(const voice_server_message& message) {
  return std::visit([](const auto& m) { return description_of(m); }, message);
}

void write_voice_server_binary_frame(std::uint16_t seq, voice_op op, std::span<const std::uint8_t> payload,
                                     std::vector<std::uint8_t>& out) {
  out.assign({static_cast<std::uint8_t>(seq >> 8), static_cast<std::uint8_t>(seq), static_cast<std::uint8_t>(op)});
  out.insert(out.end(), payload.begin(), payload.end());
}

void write_voice_client_binary_frame(voice_op op, std::span<const std::uint8_t> payload,
                                     std::vector<std::uint8_t>& out) {
  out.assign({static_cast<std::uint8_t>(op)});
  out.insert(out.end(), payload.begin(), payload.end());
}

voice_gateway_result<voice_server_binary_frame> parse_voice_server_binary_frame(std::span<const std::uint8_t> frame) {
  if (frame.size() < 3) return voice_gateway_error{make_error_code(voice_gateway_errc::truncated), {}};
  const auto seq = static_cast<std::uint16_t>(frame[0] << 8 | frame[1]);
  return voice_server_binary_frame{seq, static_cast<voice_op>(frame[2]), frame.subspan(3)};
}

voice_gateway_result<voice_client_binary_frame> parse_voice_client_binary_frame(std::span<const std::uint8_t> frame) {
  if (frame.empty()) return voice_gateway_error{make_error_code(voice_gateway_errc::truncated), {}};
  return voice_client_binary_frame{static_cast<voice_op>(frame[0]), frame.subspan(1)};
}

}  // namespace spence::net
