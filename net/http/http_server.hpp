#pragma once
// An HTTP/1.1 server (Beast) on TCP and, optionally, a Unix domain socket: it reads requests with
// a bounded body, asks its handler for each answer, keeps connections alive, and hands a WebSocket
// upgrade the handler accepts to the handler's coroutine as a websocket_connection. The Lavalink
// node's API and the Discord emulator's gateway plus control API are served by it.
//
// What the handler never sees: bytes that are not HTTP, a head or body over its limit, a client
// that stalls mid-request. Those get the handler's refusal (a 400 or 413 in the handler's error
// format) and the connection closes after the client's remaining bytes are read, so the client
// gets the answer rather than a reset.

#include "net/websocket/websocket_connection.hpp"

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/local/stream_protocol.hpp>
#include <boost/beast/http/fields.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/status.hpp>
#include <boost/beast/http/string_body.hpp>

#include <chrono>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string_view>
#include <variant>

namespace spence::net {

using http_request = boost::beast::http::request<boost::beast::http::string_body>;
using http_response = boost::beast::http::response<boost::beast::http::string_body>;

// The handler accepts a WebSocket upgrade: `headers` go on the 101 response, then `run` owns the
// connection until it returns.
struct http_upgrade {
  boost::beast::http::fields headers;
  std::function<boost::asio::awaitable<void>(websocket_connection)> run;
};
using http_answer = std::variant<http_response, http_upgrade>;

class http_handler {
 public:
  virtual ~http_handler() = default;
  // The answer to a request. A WebSocket upgrade request may be answered with a response (a
  // refusal) or an http_upgrade. What it throws is logged and answered with refuse(500).
  virtual boost::asio::awaitable<http_answer> answer(const http_request& request) = 0;
  // The response to a request that could not be read (`status` 400 or 413, `reason` why), or
  // that the handler failed on (500).
  virtual http_response refuse(boost::beast::http::status status, std::string_view reason) = 0;
};

struct http_server_options {
  std::size_t max_body_bytes = 1 << 20;
  std::chrono::milliseconds read_timeout{30'000};  // a request's head and body, and a WebSocket handshake
  std::chrono::milliseconds idle_timeout{120'000}; // a kept-alive connection with no request
};

class http_server : public std::enable_shared_from_this<http_server> {
 public:
  http_server(const boost::asio::any_io_executor& executor, std::shared_ptr<http_handler> handler,
              http_server_options options = {});
  ~http_server();

  // Binds and listens; returns the bound endpoint (port 0 picks one). Throws system_error.
  boost::asio::ip::tcp::endpoint listen(const boost::asio::ip::tcp::endpoint& endpoint);
  // Also serves on a Unix domain socket at `path`; a stale socket file there is replaced. Throws
  // system_error.
  void listen(const std::filesystem::path& path);
  // Starts accepting on what listen() bound.
  void start();
  // Stops accepting; connections in progress finish their current exchange. Any thread.
  void stop();

 private:
  template <class Protocol>
  boost::asio::awaitable<void> accept_loop(typename Protocol::acceptor& acceptor);
  template <class Protocol>
  boost::asio::awaitable<void> serve(typename Protocol::socket socket);

  boost::asio::any_io_executor executor_;
  std::shared_ptr<http_handler> handler_;
  http_server_options options_;
  std::optional<boost::asio::ip::tcp::acceptor> tcp_;
  std::optional<boost::asio::local::stream_protocol::acceptor> local_;
  std::filesystem::path local_path_;
};

// A response with `status`, `content_type` and `body`, ready to send.
http_response make_http_response(boost::beast::http::status status, std::string_view content_type, std::string body);

}  // namespace spence::net
