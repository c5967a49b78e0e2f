#include "app/node_config.hpp"

#include <boost/asio/ip/address.hpp>
#include <boost/throw_exception.hpp>
#include <toml++/toml.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <fstream>
#include <limits>
#include <span>
#include <sstream>
#include <stdexcept>

namespace spence::app {
namespace {

// Unix socket paths live in sockaddr_un::sun_path (108 bytes with its terminating zero).
constexpr std::size_t max_unix_socket_path = 107;
constexpr std::size_t max_password_bytes = 1024;
constexpr std::array<std::string_view, 7> log_levels{"trace", "debug", "info", "warn", "error", "critical", "off"};
constexpr std::int64_t kib = 1024;
constexpr std::int64_t mib = 1024 * kib;

std::string joined(std::span<const std::string_view> names) {
  std::string out;
  for (const auto name : names) out += (out.empty() ? "" : ", ") + std::string(name);
  return out;
}

// One TOML table read key by key. Each read takes a key if present (keeping the default
// otherwise) and notes it as known; finish() reports the keys nobody took. Problems name the
// key's dotted path and, when the parser knows it, the line.
class section_reader {
 public:
  section_reader(const toml::table& table, std::string prefix, std::vector<config_problem>& problems)
      : table_(table), prefix_(std::move(prefix)), problems_(problems) {}

  std::string path(std::string_view key) const { return prefix_.empty() ? std::string(key) : prefix_ + "." + std::string(key); }

  void problem(std::string_view key, const toml::node* at, std::string reason) {
    if (at && at->source().begin.line > 0) reason += " (line " + std::to_string(at->source().begin.line) + ")";
    problems_.push_back({path(key), std::move(reason)});
  }

  const toml::node* take(std::string_view key) {
    known_.emplace_back(key);
    return table_.get(key);
  }

  // A sub-table: nullopt when absent (or not a table, which is reported).
  const toml::table* section(std::string_view key) {
    const toml::node* node = take(key);
    if (!node) return nullptr;
    if (!node->is_table()) problem(key, node, "must be a table ([" + path(key) + "])");
    return node->as_table();
  }

  void boolean(std::string_view key, bool& into) {
    const toml::node* node = take(key);
    if (!node) return;
    if (const auto* value = node->as_boolean()) into = value->get();
    else problem(key, node, "must be true or false");
  }

  template <class Int>
  void integer(std::string_view key, Int& into, std::int64_t min, std::int64_t max) {
    const toml::node* node = take(key);
    if (!node) return;
    const auto* value = node->as_integer();
    if (!value) return problem(key, node, "must be an integer");
    if (value->get() < min || value->get() > max)
      return problem(key, node, "must be between " + std::to_string(min) + " and " + std::to_string(max) + " (got " +
                                    std::to_string(value->get()) + ")");
    into = static_cast<Int>(value->get());
  }

  // A string that must not be empty; true when one was read. The problems never quote the value
  // (it may be the password).
  bool text(std::string_view key, std::string& into) {
    const toml::node* node = take(key);
    if (!node) return false;
    const auto* value = node->as_string();
    if (!value || value->get().empty()) {
      problem(key, node, value ? "must not be empty" : "must be a string");
      return false;
    }
    into = value->get();
    return true;
  }

  // A list of non-empty strings; true when one was read (an empty list is a problem).
  bool texts(std::string_view key, std::vector<std::string>& into) {
    const toml::node* node = take(key);
    if (!node) return false;
    const auto* list = node->as_array();
    std::vector<std::string> read;
    if (list)
      for (const auto& item : *list)
        if (const auto* text = item.as_string(); text && !text->get().empty()) read.push_back(text->get());
    if (!list || read.size() != list->size() || read.empty()) {
      problem(key, node, "must be a non-empty list of non-empty strings");
      return false;
    }
    into = std::move(read);
    return true;
  }

  // One of `choices`, named in the problem.
  bool choice(std::string_view key, std::string& into, std::span<const std::string_view> choices) {
    std::string read;
    if (!text(key, read)) return false;
    for (const auto c : choices) {
      if (c == read) {
        into = read;
        return true;
      }
    }
    problem(key, table_.get(key), "must be one of " + joined(choices) + " (got \"" + read + "\")");
    return false;
  }

  void finish() {
    for (const auto& [key, node] : table_) {
      if (std::find(known_.begin(), known_.end(), key.str()) != known_.end()) continue;
      problem(key.str(), &node, node.is_table() ? "unknown section" : "unknown key");
    }
  }

 private:
  const toml::table& table_;
  std::string prefix_;
  std::vector<config_problem>& problems_;
  std::vector<std::string> known_;
};

void read_server(const toml::table& table, node_config::server_settings& server, std::vector<config_problem>& problems) {
  section_reader in(table, "server", problems);
  std::string address;
  if (in.text("address", address)) {
    boost::system::error_code ec;
    boost::asio::ip::make_address(address, ec);
    if (ec) in.problem("address", table.get("address"), "must be an IP address such as 127.0.0.1, 0.0.0.0 or ::1 (got \"" + address + "\")");
    else server.address = address;
  }
  in.integer("port", server.port, 0, 65535);
  std::string password;
  if (in.text("password", password)) {
    if (password.size() > max_password_bytes)
      in.problem("password", table.get("password"), "must be at most " + std::to_string(max_password_bytes) + " bytes");
    else server.password = std::move(password);
  }
  std::string socket;
  if (in.text("unix_socket", socket)) {
    if (socket.size() > max_unix_socket_path)
      in.problem("unix_socket", table.get("unix_socket"),
                 "must be at most " + std::to_string(max_unix_socket_path) + " bytes (a Unix socket address's limit)");
    else server.unix_socket = socket;
  }
  in.finish();
}

void read_sources(const toml::table& table, node_config::source_settings& sources, std::vector<config_problem>& problems) {
  section_reader in(table, "sources", problems);
  in.boolean("http", sources.http);
  in.boolean("local", sources.local);
  in.boolean("soundcloud", sources.soundcloud);
  in.boolean("youtube", sources.youtube);
  const auto base_url = [&](std::string_view key, std::string& into) {
    std::string url;
    if (!in.text(key, url)) return;
    if (!url.starts_with("http://") && !url.starts_with("https://"))
      in.problem(key, table.get(key), "must be an http:// or https:// URL");
    else into = url;
  };
  base_url("soundcloud_web", sources.soundcloud_endpoints.web);
  base_url("soundcloud_api", sources.soundcloud_endpoints.api);
  base_url("youtube_api", sources.youtube_endpoints.api);
  base_url("youtube_music_api", sources.youtube_endpoints.music_api);
  in.boolean("deezer", sources.deezer);
  base_url("deezer_api", sources.deezer_endpoints.api);
  in.boolean("spotify", sources.spotify);
  auto& spotify = sources.spotify_settings;
  in.text("spotify_client_id", spotify.client_id);
  in.text("spotify_client_secret", spotify.client_secret);
  if (in.text("spotify_market", spotify.market) && spotify.market.size() != 2)
    in.problem("spotify_market", table.get("spotify_market"), "must be a two-letter country code (ISO 3166-1 alpha-2)");
  base_url("spotify_api", spotify.api);
  base_url("spotify_accounts", spotify.accounts);
  in.boolean("apple_music", sources.apple_music);
  auto& apple = sources.apple_music_settings;
  in.text("apple_music_token", apple.token);
  if (in.text("apple_music_country", apple.country) && apple.country.size() != 2)
    in.problem("apple_music_country", table.get("apple_music_country"), "must be a two-letter storefront (us, gb, de, ...)");
  base_url("apple_music_api", apple.api);
  if (in.texts("mirror_providers", sources.mirror_providers))
    for (const auto& provider : sources.mirror_providers)
      if (auto why = resolvers::provider_problem(provider)) in.problem("mirror_providers", table.get("mirror_providers"), *why);
  in.finish();
}

void read_engine(const toml::table& table, node_config::engine_settings& engine, std::vector<config_problem>& problems) {
  section_reader in(table, "engine", problems);
  in.integer("threads", engine.threads, 0, 1024);
  in.integer("shards", engine.shard_pool.shards, 0, 1024);
  in.integer("opus_bitrate", engine.player.encoder.bitrate, 6000, 510000);  // libopus's range
  in.integer("opus_complexity", engine.player.encoder.complexity, 0, 10);
  using engine::resampler_quality;
  const std::array<std::string_view, 4> qualities{
      engine::resampler_quality_name(resampler_quality::best), engine::resampler_quality_name(resampler_quality::medium),
      engine::resampler_quality_name(resampler_quality::fastest), engine::resampler_quality_name(resampler_quality::linear)};
  std::string resampler;
  if (in.choice("resampler", resampler, qualities)) engine.player.resampling = engine::parse_resampler_quality(resampler);
  in.finish();
}

void read_buffers(const toml::table& table, node_config::buffer_settings& buffers, std::vector<config_problem>& problems) {
  section_reader in(table, "buffers", problems);
  // At least one curl write (16 KiB), which http_source raises it to anyway.
  in.integer("http_read_ahead_bytes", buffers.http.read_ahead_bytes, 16 * kib, 64 * mib);
  in.integer("udp_queue_packets", buffers.udp_queue_packets, 1, static_cast<std::int64_t>(engine::packet_queue::max_capacity));
  in.finish();
}

void read_limits(const toml::table& table, node_config::limit_settings& limits, std::vector<config_problem>& problems) {
  section_reader in(table, "limits", problems);
  in.integer("max_players", limits.max_players, 1, 1'000'000);
  std::int64_t idle_seconds = limits.idle_timeout.count();
  in.integer("idle_timeout_seconds", idle_seconds, 0, 7 * 24 * 3600);
  limits.idle_timeout = std::chrono::seconds(idle_seconds);
  in.integer("max_request_body_bytes", limits.max_request_body_bytes, 1 * kib, 64 * mib);
  in.integer("max_session_queue_messages", limits.max_session_queue_messages, 1, 1'000'000);
  in.finish();
}

void read_metrics(const toml::table& table, node_config::metrics_settings& metrics, std::vector<config_problem>& problems) {
  section_reader in(table, "metrics", problems);
  in.boolean("prometheus", metrics.prometheus);
  std::string endpoint = metrics.endpoint;
  if (in.text("endpoint", endpoint)) {
    // A path of its own: one under the API's would hide a route from its clients.
    const bool path_characters = endpoint.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                                           "0123456789-._~/") == std::string::npos;
    if (endpoint.front() != '/' || endpoint.size() > 256 || !path_characters)
      in.problem("endpoint", table.get("endpoint"), "must be a path such as \"/metrics\" (letters, digits, -._~/)");
    else if (endpoint == "/version" || endpoint == "/v4" || endpoint.starts_with("/v4/"))
      in.problem("endpoint", table.get("endpoint"), "must not be one of the Lavalink API's paths");
    else
      metrics.endpoint = endpoint;
  }
  in.finish();
}

void read_trace(const toml::table& table, std::optional<actors::trace_options>& trace, std::vector<config_problem>& problems) {
  section_reader in(table, "trace", problems);
  actors::trace_options options;
  if (!table.contains("path")) in.problem("path", &table, "must be given when [trace] is present");
  std::string path;
  const bool has_path = in.text("path", path);
  in.integer("segment_bytes", options.segment_bytes, 1 * mib, std::numeric_limits<std::int64_t>::max());
  if (has_path) {
    options.path = path;
    trace = options;
  }
  in.finish();
}

void read_logging(const toml::table& table, std::string& level, std::vector<config_problem>& problems) {
  section_reader in(table, "logging", problems);
  in.choice("level", level, log_levels);
  in.finish();
}

// Listening beyond this machine with the password every client library ships with would let
// anyone who can reach the port drive the node.
void check_password_for_address(const node_config& config, std::vector<config_problem>& problems) {
  boost::system::error_code ec;
  const auto address = boost::asio::ip::make_address(config.server.address, ec);
  if (!ec && !address.is_loopback() && config.server.password == default_node_password)
    problems.push_back({"server.password",
                        "must be set to a password of your own when server.address is not a loopback address"});
}

// A TOML basic string: quotes, backslashes and control characters escaped. (Not named "quoted":
// for a std::string argument, argument-dependent lookup would pick std::quoted, which escapes
// only quotes and backslashes.)
std::string toml_string(std::string_view text) {
  std::string out = "\"";
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (byte < 0x20 || byte == 0x7F) {
      char escaped[8];
      std::snprintf(escaped, sizeof escaped, "\\u%04X", byte);
      out += escaped;
    } else {
      out += c;
    }
  }
  return out + "\"";
}

}  // namespace

std::string config_error::message() const {
  std::string out;
  for (const auto& p : problems) {
    if (!out.empty()) out += '\n';
    out += source + ": " + (p.key.empty() ? "" : p.key + ": ") + p.reason;
  }
  return out;
}

void throw_exception_from_error(const config_error& e, const boost::source_location& where) {
  boost::throw_exception(std::invalid_argument(e.message()), where);
}

node_config_result parse_node_config(std::string_view toml_text, std::string source) {
  toml::table root;
  try {
    root = toml::parse(toml_text, source);
  } catch (const toml::parse_error& e) {
    std::string reason(e.description());
    if (e.source().begin.line > 0)
      reason += " (line " + std::to_string(e.source().begin.line) + ", column " + std::to_string(e.source().begin.column) + ")";
    return config_error{std::move(source), {{"", std::move(reason)}}};
  }

  node_config config;
  std::vector<config_problem> problems;
  section_reader in(root, "", problems);
  if (const auto* t = in.section("server")) read_server(*t, config.server, problems);
  if (const auto* t = in.section("sources")) read_sources(*t, config.sources, problems);
  if (const auto* t = in.section("engine")) read_engine(*t, config.engine, problems);
  if (const auto* t = in.section("buffers")) read_buffers(*t, config.buffers, problems);
  if (const auto* t = in.section("limits")) read_limits(*t, config.limits, problems);
  if (const auto* t = in.section("metrics")) read_metrics(*t, config.metrics, problems);
  if (const auto* t = in.section("trace")) read_trace(*t, config.trace, problems);
  if (const auto* t = in.section("logging")) read_logging(*t, config.log_level, problems);
  in.finish();
  if (problems.empty()) check_password_for_address(config, problems);
  if (!problems.empty()) return config_error{std::move(source), std::move(problems)};
  return config;
}

node_config_result load_node_config(const std::filesystem::path& file) {
  // A directory opens as an empty stream, which would read as "all defaults".
  std::error_code ec;
  if (std::filesystem::is_directory(file, ec)) return config_error{file.string(), {{"", "is a directory"}}};
  std::ifstream in(file, std::ios::binary);
  if (!in) return config_error{file.string(), {{"", "cannot be opened"}}};
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) return config_error{file.string(), {{"", "cannot be read"}}};
  return parse_node_config(text.str(), file.string());
}

std::string describe(const node_config& config) {
  std::ostringstream out;
  const auto& s = config.server;
  out << "[server]\naddress = " << toml_string(s.address) << "\nport = " << s.port << "\npassword = \"<redacted>\"\n";
  if (s.unix_socket) out << "unix_socket = " << toml_string(s.unix_socket->string()) << '\n';
  const auto& src = config.sources;
  out << "\n[sources]\nhttp = " << std::boolalpha << src.http << "\nlocal = " << src.local << "\nsoundcloud = " << src.soundcloud
      << "\nsoundcloud_web = " << toml_string(src.soundcloud_endpoints.web)
      << "\nsoundcloud_api = " << toml_string(src.soundcloud_endpoints.api) << "\nyoutube = " << src.youtube
      << "\nyoutube_api = " << toml_string(src.youtube_endpoints.api)
      << "\nyoutube_music_api = " << toml_string(src.youtube_endpoints.music_api) << '\n';
  out << "deezer = " << src.deezer
      << "\ndeezer_api = " << toml_string(src.deezer_endpoints.api) << "\nspotify = " << src.spotify << '\n';
  // Secrets: "<redacted>" when set, absent when not.
  const auto secret = [&](std::string_view key, const std::string& value) {
    if (!value.empty()) out << key << " = \"<redacted>\"\n";
  };
  const auto& spotify = src.spotify_settings;
  if (!spotify.client_id.empty()) out << "spotify_client_id = " << toml_string(spotify.client_id) << '\n';
  secret("spotify_client_secret", spotify.client_secret);
  out << "spotify_market = " << toml_string(spotify.market) << "\nspotify_api = " << toml_string(spotify.api)
      << "\nspotify_accounts = " << toml_string(spotify.accounts) << "\napple_music = " << src.apple_music << '\n';
  secret("apple_music_token", src.apple_music_settings.token);
  out << "apple_music_country = " << toml_string(src.apple_music_settings.country)
      << "\napple_music_api = " << toml_string(src.apple_music_settings.api) << "\nmirror_providers = [";
  for (std::size_t i = 0; i < src.mirror_providers.size(); ++i) out << (i ? ", " : "") << toml_string(src.mirror_providers[i]);
  out << "]\n";
  const auto& e = config.engine;
  out << "\n[engine]\nthreads = " << e.threads << "\nshards = " << e.shard_pool.shards
      << "\nopus_bitrate = " << e.player.encoder.bitrate << "\nopus_complexity = " << e.player.encoder.complexity
      << "\nresampler = " << toml_string(engine::resampler_quality_name(e.player.resampling)) << '\n';
  out << "\n[buffers]\nhttp_read_ahead_bytes = " << config.buffers.http.read_ahead_bytes
      << "\nudp_queue_packets = " << config.buffers.udp_queue_packets << '\n';
  const auto& l = config.limits;
  out << "\n[limits]\nmax_players = " << l.max_players << "\nidle_timeout_seconds = " << l.idle_timeout.count()
      << "\nmax_request_body_bytes = " << l.max_request_body_bytes
      << "\nmax_session_queue_messages = " << l.max_session_queue_messages << '\n';
  out << "\n[metrics]\nprometheus = " << (config.metrics.prometheus ? "true" : "false")
      << "\nendpoint = " << toml_string(config.metrics.endpoint) << '\n';
  if (config.trace)
    out << "\n[trace]\npath = " << toml_string(config.trace->path.string()) << "\nsegment_bytes = " << config.trace->segment_bytes << '\n';
  out << "\n[logging]\nlevel = " << toml_string(config.log_level) << '\n';
  return out.str();
}

}  // namespace spence::app
