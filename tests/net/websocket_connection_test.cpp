// WebSocket connections on loopback, both sides ours: text and binary both ways, the request
// target reaching the server, a close code (as Discord's voice gateway sends them) reaching the
// client's read, and the same over TLS with a certificate made for the test by the openssl tool:
// trusted through a CA file it works, and an untrusted certificate or one for another host name
// fails the connection.

#include "net/websocket/websocket_connection.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/use_future.hpp>

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <unistd.h>

namespace spence::net {
namespace {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;
using namespace std::chrono_literals;

// Runs `test` (a coroutine) on a fresh io_context against a server coroutine handling one
// connection; over TLS when `server_tls` is given (and then the client uses `client_tls`).
template <class Server, class Client>
void run(Server server, Client client, asio::ssl::context* server_tls = nullptr,
         std::optional<websocket_tls> client_tls = std::nullopt, std::string host = "127.0.0.1") {
  asio::io_context io;
  tcp::acceptor acceptor(io, tcp::endpoint(asio::ip::address_v4::loopback(), 0));
  const auto port = acceptor.local_endpoint().port();
  auto served = asio::co_spawn(
      io,
      [&]() -> asio::awaitable<void> {
        auto socket = co_await acceptor.async_accept(asio::use_awaitable);
        auto ws = co_await websocket_connection::accept(std::move(socket), 2s, server_tls);
        co_await server(ws);
      },
      asio::use_future);
  auto done = asio::co_spawn(
      io,
      [&]() -> asio::awaitable<void> {
        auto ws = co_await websocket_connection::connect(host, port, "/?v=8", 2s, client_tls);
        co_await client(ws);
      },
      asio::use_future);
  io.run_for(5s);
  done.get();
  served.get();
}

TEST(websocket_connection, TextAndBinaryBothWaysAndTheTargetReachesTheServer) {
  std::string target;
  run(
      [&](websocket_connection& ws) -> asio::awaitable<void> {
        target = ws.target();
        for (int i = 0; i < 2; ++i) {
          auto m = co_await ws.read();
          if (auto* t = std::get_if<websocket_text>(&m)) co_await ws.send_text("echo " + t->text);
          if (auto* b = std::get_if<websocket_binary>(&m)) {
            b->bytes.push_back(0xff);
            co_await ws.send_binary(b->bytes);
          }
        }
        auto end = co_await ws.read();
        EXPECT_TRUE(std::holds_alternative<websocket_closed>(end));
      },
      [&](websocket_connection& ws) -> asio::awaitable<void> {
        co_await ws.send_text(R"({"op":0})");
        auto m = co_await ws.read();
        EXPECT_EQ(std::get<websocket_text>(m).text, R"(echo {"op":0})");
        const std::vector<std::uint8_t> frame{0x00, 0x01, 0x19};
        co_await ws.send_binary(frame);
        auto b = co_await ws.read();
        EXPECT_EQ(std::get<websocket_binary>(b).bytes, (std::vector<std::uint8_t>{0x00, 0x01, 0x19, 0xff}));
        co_await ws.close(1000, "done");
      });
  EXPECT_EQ(target, "/?v=8");
}

TEST(websocket_connection, ThePeersCloseCodeAndReasonReachRead) {
  run(
      [](websocket_connection& ws) -> asio::awaitable<void> { co_await ws.close(4014, "Disconnected"); },
      [](websocket_connection& ws) -> asio::awaitable<void> {
        auto m = co_await ws.read();
        auto* closed = std::get_if<websocket_closed>(&m);
        EXPECT_NE(closed, nullptr);
        if (closed) {
          EXPECT_EQ(closed->code, 4014);
          EXPECT_EQ(closed->reason, "Disconnected");
        }
      });
}

TEST(websocket_connection, AConnectionThatBreaksReadsAsAbnormalClosure) {
  run(
      [](websocket_connection&) -> asio::awaitable<void> { co_return; },  // dropped without a close frame
      [](websocket_connection& ws) -> asio::awaitable<void> {
        auto m = co_await ws.read();
        auto* closed = std::get_if<websocket_closed>(&m);
        EXPECT_NE(closed, nullptr);
        if (closed) EXPECT_EQ(closed->code, 1006);
      });
}

TEST(websocket_connection, NoServerIsAnErrorNotAHang) {
  asio::io_context io;
  tcp::acceptor acceptor(io, tcp::endpoint(asio::ip::address_v4::loopback(), 0));
  const auto port = acceptor.local_endpoint().port();
  acceptor.close();
  auto f = asio::co_spawn(
      io, [port]() -> asio::awaitable<void> { co_await websocket_connection::connect("127.0.0.1", port, "/", 1s); },
      asio::use_future);
  io.run_for(3s);
  EXPECT_THROW(f.get(), boost::system::system_error);
}

// A self-signed certificate for `name` (and 127.0.0.1), made by the openssl tool in a temp dir.
class tls_certificate {
 public:
  explicit tls_certificate(const std::string& name)
      : dir_(std::filesystem::temp_directory_path() / ("spence-tls-" + name + "-" + std::to_string(::getpid()))) {
    std::filesystem::create_directories(dir_);
    const auto command = "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 1 -subj /CN=" +
                         name + " -addext subjectAltName=DNS:" + name + ",IP:127.0.0.1 -keyout " +
                         (dir_ / "key.pem").string() + " -out " + cert().string() + " 2>/dev/null";
    if (std::system(command.c_str()) != 0) throw std::runtime_error("openssl could not make a certificate");
    server.use_certificate_chain_file(cert().string());
    server.use_private_key_file((dir_ / "key.pem").string(), asio::ssl::context::pem);
  }
  ~tls_certificate() { std::filesystem::remove_all(dir_); }
  std::filesystem::path cert() const { return dir_ / "cert.pem"; }
  asio::ssl::context server{asio::ssl::context::tls_server};

 private:
  std::filesystem::path dir_;
};

asio::awaitable<void> echo_once(websocket_connection& ws) {
  auto m = co_await ws.read();
  if (auto* t = std::get_if<websocket_text>(&m)) co_await ws.send_text("echo " + t->text);
  co_await ws.read();
}

TEST(websocket_connection, TlsWithATrustedCertificateCarriesMessages) {
  tls_certificate certificate("localhost");
  run(echo_once,
      [&](websocket_connection& ws) -> asio::awaitable<void> {
        co_await ws.send_text("hello");
        auto m = co_await ws.read();
        EXPECT_EQ(std::get<websocket_text>(m).text, "echo hello");
        co_await ws.close(1000, "done");
      },
      &certificate.server, websocket_tls{certificate.cert()}, "localhost");
}

TEST(websocket_connection, TlsRefusesAnUntrustedCertificateOrAnotherHostName) {
  tls_certificate certificate("localhost");
  const auto refused = [&](std::optional<std::filesystem::path> ca, std::string host) {
    asio::io_context io;
    tcp::acceptor acceptor(io, tcp::endpoint(asio::ip::address_v4::loopback(), 0));
    const auto port = acceptor.local_endpoint().port();
    asio::co_spawn(
        io,
        [&]() -> asio::awaitable<void> {
          auto socket = co_await acceptor.async_accept(asio::use_awaitable);
          co_await websocket_connection::accept(std::move(socket), 2s, &certificate.server);
        },
        asio::detached);
    auto client = asio::co_spawn(
        io,
        [&]() -> asio::awaitable<void> {
          co_await websocket_connection::connect(host, port, "/", 2s, websocket_tls{ca});
        },
        asio::use_future);
    io.run_for(3s);
    EXPECT_THROW(client.get(), boost::system::system_error) << host;
  };
  refused(std::nullopt, "localhost");                  // self-signed: not among the system's CAs
  tls_certificate other("other.example");
  refused(other.cert(), "localhost");                  // trusts another certificate only
}

}  // namespace
}  // namespace spence::net
