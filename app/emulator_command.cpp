// `spence emulator`: the Discord voice emulator (net/voice/voice_emulator.hpp) as a process, so
// that a test, a benchmark or a bot in another process can connect to it. It prints one JSON line
// saying where to connect (the gateway's WebSocket, the control API on the same port, the UDP
// relay), serves until SIGINT or SIGTERM, then ends the Ogg files and prints the final stats as
// one more JSON line.

#include "app/commands.hpp"

#include "net/voice/voice_emulator.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/json/serialize.hpp>

#include <fmt/format.h>

#include <charconv>
#include <csignal>
#include <cstdio>

namespace spence::app {
namespace {

namespace asio = boost::asio;

// How long the gateway's connections get to finish their close handshakes after a signal.
constexpr auto shutdown_grace = std::chrono::seconds(1);

// "127.0.0.1:5000", "[::1]:5000".
template <class Endpoint>
std::string host_port(const Endpoint& endpoint) {
  const auto address = endpoint.address();
  return address.is_v6() ? fmt::format("[{}]:{}", address.to_string(), endpoint.port())
                         : fmt::format("{}:{}", address.to_string(), endpoint.port());
}

}  // namespace

int run_emulator(const emulator_options& options) {
  boost::system::error_code ec;
  net::voice_emulator_options settings;
  settings.address = asio::ip::make_address(options.host, ec);
  if (ec) {
    fmt::print(stderr, "emulator: --host {} is not an IP address\n", options.host);
    return 1;
  }
  settings.gateway_port = options.port;
  settings.udp_port = options.udp_port;
  settings.dave = options.dave;
  settings.require_dave = options.dave && options.require_dave;
  for (const auto& delay : options.dave_commit_delays) {
    const auto equals = delay.find('=');
    std::uint64_t user = 0;
    unsigned ms = 0;
    const bool read = equals != std::string::npos &&
                      std::from_chars(delay.data(), delay.data() + equals, user).ptr == delay.data() + equals &&
                      std::from_chars(delay.data() + equals + 1, delay.data() + delay.size(), ms).ptr ==
                          delay.data() + delay.size();
    if (!read) {
      fmt::print(stderr, "emulator: --dave-commit-delay {} is not USER=MS\n", delay);
      return 1;
    }
    settings.dave_commit_delays[user] = std::chrono::milliseconds(ms);
  }
  settings.decode_audio = options.decode_audio;
  settings.seed = options.seed;
  settings.heartbeat_interval = std::chrono::milliseconds(options.heartbeat_ms);
  if (!options.ogg_dir.empty()) {
    std::filesystem::create_directories(options.ogg_dir, ec);
    if (ec) {
      fmt::print(stderr, "emulator: cannot create {}: {}\n", options.ogg_dir.string(), ec.message());
      return 1;
    }
    settings.ogg_dir = options.ogg_dir;
  }

  asio::io_context io(1);
  std::shared_ptr<net::voice_emulator> emulator;
  try {
    emulator = std::make_shared<net::voice_emulator>(io.get_executor(), settings);
  } catch (const boost::system::system_error& e) {
    fmt::print(stderr, "emulator: cannot listen on {}: {}\n", options.host, e.code().message());
    return 1;
  }
  // Signals are caught before the endpoints are printed: whoever reads the line may stop us at once.
  asio::signal_set signals(io, SIGINT, SIGTERM);
  asio::steady_timer grace(io);
  signals.async_wait([&](boost::system::error_code signal_ec, int) {
    if (signal_ec) return;
    emulator->stop();
    grace.expires_after(shutdown_grace);
    grace.async_wait([&](boost::system::error_code) { io.stop(); });
  });
  emulator->start();

  const auto gateway = host_port(emulator->gateway_endpoint());
  fmt::print("{}\n", boost::json::serialize(boost::json::object{{"gateway", "ws://" + gateway},
                                                                {"control", "http://" + gateway},
                                                                {"udp", host_port(emulator->udp_endpoint())}}));
  std::fflush(stdout);
  io.run();

  emulator->relay()->finish();
  fmt::print("{}\n", boost::json::serialize(emulator->stats()));
  return 0;
}

}  // namespace spence::app
