#include "net/http/http_server.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/basic_stream.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/beast/websocket/rfc6455.hpp>

#include <spdlog/spdlog.h>

#include <array>

namespace spence::net {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
using local = asio::local::stream_protocol;

http_response make_http_response(http::status status, std::string_view content_type, std::string body) {
  http_response response{status, 11};
  if (!content_type.empty()) response.set(http::field::content_type, content_type);
  response.body() = std::move(body);
  response.prepare_payload();
  return response;
}

http_server::http_server(const asio::any_io_executor& executor, std::shared_ptr<http_handler> handler,
                         http_server_options options)
    : executor_(executor), handler_(std::move(handler)), options_(options) {}

http_server::~http_server() {
  if (!local_path_.empty()) {
    std::error_code ignored;
    std::filesystem::remove(local_path_, ignored);
  }
}

tcp::endpoint http_server::listen(const tcp::endpoint& endpoint) {
  tcp_.emplace(executor_);
  tcp_->open(endpoint.protocol());
  tcp_->set_option(asio::socket_base::reuse_address(true));
  tcp_->bind(endpoint);
  tcp_->listen();
  return tcp_->local_endpoint();
}

void http_server::listen(const std::filesystem::path& path) {
  // A socket file left by a process that died is in the way of bind(); anything else there is not
  // ours to delete.
  std::error_code ec;
  if (std::filesystem::is_socket(path, ec)) std::filesystem::remove(path, ec);
  local_.emplace(executor_, local::endpoint(path.string()));
  local_path_ = path;
}

void http_server::start() {
  if (tcp_)
    asio::co_spawn(executor_, [self = shared_from_this()] { return self->accept_loop<tcp>(*self->tcp_); }, asio::detached);
  if (local_)
    asio::co_spawn(executor_, [self = shared_from_this()] { return self->accept_loop<local>(*self->local_); },
                   asio::detached);
}

void http_server::stop() {
  asio::post(executor_, [self = shared_from_this()] {
    boost::system::error_code ignored;
    if (self->tcp_) self->tcp_->close(ignored);
    if (self->local_) self->local_->close(ignored);
  });
}

template <class Protocol>
asio::awaitable<void> http_server::accept_loop(typename Protocol::acceptor& acceptor) {
  for (;;) {
    auto [ec, socket] = co_await acceptor.async_accept(asio::as_tuple(asio::use_awaitable));
    if (ec == asio::error::operation_aborted || !acceptor.is_open()) co_return;  // stop()
    if (ec) {
      // Out of descriptors, say: the listening socket is still good, so keep accepting.
      spdlog::warn("http server: accept failed: {}", ec.message());
      continue;
    }
    asio::co_spawn(executor_, [self = shared_from_this(), s = std::move(socket)]() mutable {
      return self->serve<Protocol>(std::move(s));
    }, asio::detached);
  }
}

template <class Protocol>
asio::awaitable<void> http_server::serve(typename Protocol::socket socket) {
  beast::basic_stream<Protocol> stream(std::move(socket));
  beast::flat_buffer buffer;
  for (;;) {
    http::request_parser<http::string_body> parser;
    parser.body_limit(options_.max_body_bytes);
    // Waiting for the next request of a kept-alive connection may take long; the request itself,
    // once started, may not.
    stream.expires_after(buffer.size() == 0 ? options_.idle_timeout : options_.read_timeout);
    auto [head_ec, head] = co_await http::async_read_header(stream, buffer, parser, asio::as_tuple(asio::use_awaitable));
    boost::system::error_code ec = head_ec;
    if (!ec) {
      stream.expires_after(options_.read_timeout);
      auto [body_ec, body] = co_await http::async_read(stream, buffer, parser, asio::as_tuple(asio::use_awaitable));
      ec = body_ec;
    }
    if (ec == http::error::end_of_stream) co_return;  // the client is done
    const bool malformed = ec && ec.category() == make_error_code(http::error::bad_method).category();
    if (ec && !malformed) co_return;  // the connection broke or timed out
    if (malformed) {
      const bool too_large = ec == http::error::body_limit || ec == http::error::header_limit ||
                             ec == http::error::buffer_overflow;
      auto response = handler_->refuse(too_large ? http::status::payload_too_large : http::status::bad_request,
                                       ec.message());
      response.keep_alive(false);
      response.prepare_payload();
      stream.expires_after(options_.read_timeout);
      co_await http::async_write(stream, response, asio::as_tuple(asio::use_awaitable));
      // Read what the client is still sending before closing: closing on unread bytes would reset
      // the connection, and the client could lose the answer.
      boost::system::error_code ignored;
      stream.socket().shutdown(Protocol::socket::shutdown_send, ignored);
      std::array<char, 4096> discard{};
      for (;;) {
        auto [read_ec, read] = co_await stream.async_read_some(asio::buffer(discard), asio::as_tuple(asio::use_awaitable));
        if (read_ec) co_return;
      }
    }
    auto request = parser.release();
    const bool keep_alive = request.keep_alive();
    const bool upgrade = beast::websocket::is_upgrade(request);
    stream.expires_never();
    http_answer answer;
    try {
      answer = co_await handler_->answer(request);
    } catch (const std::exception& e) {
      // A handler's fault is a 500 for this request, never the end of the server.
      spdlog::error("http server: the handler failed on {} {}: {}", std::string(request.method_string()),
                    std::string(request.target()), e.what());
      answer = handler_->refuse(http::status::internal_server_error, "the server failed to answer this request");
    }
    if (auto* accepted = std::get_if<http_upgrade>(&answer)) {
      if (!upgrade) {
        spdlog::error("http server: the handler upgraded a request that is no WebSocket upgrade");
        co_return;
      }
      try {
        auto ws = co_await websocket_connection::accept(stream.release_socket(), std::move(request),
                                                        options_.read_timeout, std::move(accepted->headers));
        co_await accepted->run(std::move(ws));
      } catch (const boost::system::system_error& e) {
        spdlog::debug("http server: WebSocket handshake failed: {}", e.what());
      }
      co_return;
    }
    auto& response = std::get<http_response>(answer);
    response.keep_alive(keep_alive && response.keep_alive());
    response.prepare_payload();
    stream.expires_after(options_.read_timeout);
    auto [write_ec, written] = co_await http::async_write(stream, response, asio::as_tuple(asio::use_awaitable));
    if (write_ec || !response.keep_alive()) co_return;
  }
}

}  // namespace spence::net
