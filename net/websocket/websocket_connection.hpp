#pragma once
// One WebSocket connection (Beast), either side: a client connecting to ws://host:port/target or a
// server accepting on a TCP socket, read and written with coroutines. Discord's gateways and the
// Lavalink API speak through it; what a message means is the caller's business. A close from the
// peer ends read() with the peer's close code and reason (Discord's close codes decide whether a
// voice client resumes, reconnects or stops), so it is a value, not only an error.
//
// Reads and writes may overlap (one of each at a time), as Beast allows. Either side may speak
// TLS (wss): a client verifies the server's certificate chain and host name against the system's
// trusted CAs (or a CA file given for tests and private servers); a server takes its certificate
// in an ssl::context.

#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/local/stream_protocol.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/fields.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#include <boost/beast/websocket/stream.hpp>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <variant>
#include <vector>

namespace spence::net {

struct websocket_text {
  std::string text;
};
struct websocket_binary {
  std::vector<std::uint8_t> bytes;
};
// The peer closed the connection (code 1005 when it gave none), or it broke (code 1006, as
// browsers report an abnormal closure).
struct websocket_closed {
  std::uint16_t code = 1005;
  std::string reason;
};
using websocket_message = std::variant<websocket_text, websocket_binary, websocket_closed>;

// A client's TLS settings (wss).
struct websocket_tls {
  std::optional<std::filesystem::path> ca_file;  // PEM CAs to trust instead of the system's
};

class websocket_connection {
 public:
  // Connects to ws://host:port/target, or wss:// with `tls`. Throws boost::system::system_error
  // when the TCP connection, the TLS handshake (an untrusted certificate, a host name it does not
  // name) or the WebSocket handshake fails, or after `timeout`.
  static boost::asio::awaitable<websocket_connection> connect(std::string host, std::uint16_t port, std::string target,
                                                              std::chrono::milliseconds timeout,
                                                              std::optional<websocket_tls> tls = std::nullopt);
  // Completes the server side of the handshake on an accepted socket, first TLS's when `tls` is
  // given (it must outlive the connection). Throws system_error.
  static boost::asio::awaitable<websocket_connection> accept(boost::asio::ip::tcp::socket socket,
                                                             std::chrono::milliseconds timeout,
                                                             boost::asio::ssl::context* tls = nullptr);
  // The same in plain ws, when the caller has already read the upgrade request (a server that also
  // answers plain HTTP on its port reads first, then decides), on TCP or a Unix domain socket;
  // `response_headers` are added to the 101 response. Throws system_error when `request` is not a
  // WebSocket upgrade.
  using upgrade_request = boost::beast::http::request<boost::beast::http::string_body>;
  static boost::asio::awaitable<websocket_connection> accept(boost::asio::ip::tcp::socket socket, upgrade_request request,
                                                             std::chrono::milliseconds timeout,
                                                             boost::beast::http::fields response_headers = {});
  static boost::asio::awaitable<websocket_connection> accept(boost::asio::local::stream_protocol::socket socket,
                                                             upgrade_request request, std::chrono::milliseconds timeout,
                                                             boost::beast::http::fields response_headers = {});

  // The next message, or how the connection ended. A message larger than `max_message_bytes` ends
  // the connection (code 1009).
  boost::asio::awaitable<websocket_message> read();
  // Throw system_error when the connection is gone.
  boost::asio::awaitable<void> send_text(std::string_view text);
  boost::asio::awaitable<void> send_binary(std::span<const std::uint8_t> bytes);
  // Sends a close frame with `code` and waits for the peer's (Beast does). Errors are swallowed:
  // the connection is over either way.
  boost::asio::awaitable<void> close(std::uint16_t code, std::string_view reason);

  // The request target the client asked for (server side), e.g. "/?v=8".
  const std::string& target() const noexcept { return target_; }

  static constexpr std::size_t max_message_bytes = 1 << 20;

 private:
  using plain_stream = boost::beast::websocket::stream<boost::beast::tcp_stream>;
  using tls_stream = boost::beast::websocket::stream<boost::beast::ssl_stream<boost::beast::tcp_stream>>;
  using local_stream =
      boost::beast::websocket::stream<boost::beast::basic_stream<boost::asio::local::stream_protocol>>;
  using any_stream = std::variant<std::unique_ptr<plain_stream>, std::unique_ptr<tls_stream>, std::unique_ptr<local_stream>>;
  template <class Stream, class Socket>
  static boost::asio::awaitable<websocket_connection> accept_upgrade(Socket socket, upgrade_request request,
                                                                     std::chrono::milliseconds timeout,
                                                                     boost::beast::http::fields response_headers);
  websocket_connection(any_stream ws, std::shared_ptr<boost::asio::ssl::context> client_tls, std::string target = {});

  std::shared_ptr<boost::asio::ssl::context> client_tls_;  // what a client's TLS stream refers to
  any_stream ws_;
  std::string target_;
};

}  // namespace spence::net
