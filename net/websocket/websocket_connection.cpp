#include "net/websocket/websocket_connection.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/connect.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/websocket/error.hpp>

namespace spence::net {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace websocket = beast::websocket;
using tcp = asio::ip::tcp;

namespace {

constexpr std::uint16_t abnormal_closure = 1006;
constexpr std::uint16_t message_too_big = 1009;

void limit(websocket::stream<beast::tcp_stream>& ws, bool client) {
  ws.read_message_max(websocket_connection::max_message_bytes);
  // Pings keep an idle connection alive and find a dead one; the protocol's own heartbeats still
  // run above this.
  ws.set_option(websocket::stream_base::timeout::suggested(client ? beast::role_type::client : beast::role_type::server));
}

}  // namespace

websocket_connection::websocket_connection(stream ws, std::string target)
    : ws_(std::make_unique<stream>(std::move(ws))), target_(std::move(target)) {}

asio::awaitable<websocket_connection> websocket_connection::connect(std::string host, std::uint16_t port,
                                                                    std::string target,
                                                                    std::chrono::milliseconds timeout) {
  auto ex = co_await asio::this_coro::executor;
  tcp::resolver resolver(ex);
  auto endpoints = co_await resolver.async_resolve(host, std::to_string(port), asio::use_awaitable);
  stream ws(ex);
  beast::get_lowest_layer(ws).expires_after(timeout);
  co_await beast::get_lowest_layer(ws).async_connect(endpoints, asio::use_awaitable);
  co_await ws.async_handshake(host + ":" + std::to_string(port), target, asio::use_awaitable);
  beast::get_lowest_layer(ws).expires_never();
  limit(ws, true);
  co_return websocket_connection(std::move(ws));
}

asio::awaitable<websocket_connection> websocket_connection::accept(tcp::socket socket,
                                                                   std::chrono::milliseconds timeout) {
  // Read the upgrade request ourselves, to keep its target (the voice gateway's "?v=8").
  beast::tcp_stream tcp(std::move(socket));
  tcp.expires_after(timeout);
  beast::flat_buffer buffer;
  beast::http::request<beast::http::string_body> request;
  co_await beast::http::async_read(tcp, buffer, request, asio::use_awaitable);
  co_return co_await accept(tcp.release_socket(), std::move(request), timeout);
}

asio::awaitable<websocket_connection> websocket_connection::accept(
    tcp::socket socket, beast::http::request<beast::http::string_body> request, std::chrono::milliseconds timeout) {
  if (!websocket::is_upgrade(request)) throw boost::system::system_error(websocket::error::no_connection_upgrade);
  stream ws(std::move(socket));
  beast::get_lowest_layer(ws).expires_after(timeout);
  co_await ws.async_accept(request, asio::use_awaitable);
  beast::get_lowest_layer(ws).expires_never();
  limit(ws, false);
  co_return websocket_connection(std::move(ws), std::string(request.target()));
}

asio::awaitable<websocket_message> websocket_connection::read() {
  beast::flat_buffer buffer;
  auto [ec, n] = co_await ws_->async_read(buffer, asio::as_tuple(asio::use_awaitable));
  if (ec == websocket::error::closed) {
    const auto& r = ws_->reason();
    co_return websocket_closed{r.code == websocket::close_code::none ? std::uint16_t{1005} : static_cast<std::uint16_t>(r.code),
                               std::string(r.reason.c_str())};
  }
  if (ec == websocket::error::message_too_big) co_return websocket_closed{message_too_big, "message too big"};
  if (ec) co_return websocket_closed{abnormal_closure, ec.message()};
  const auto data = buffer.cdata();
  const auto* p = static_cast<const std::uint8_t*>(data.data());
  if (ws_->got_binary()) co_return websocket_binary{std::vector<std::uint8_t>(p, p + data.size())};
  co_return websocket_text{std::string(reinterpret_cast<const char*>(p), data.size())};
}

asio::awaitable<void> websocket_connection::send_text(std::string_view text) {
  ws_->text(true);
  co_await ws_->async_write(asio::buffer(text.data(), text.size()), asio::use_awaitable);
}

asio::awaitable<void> websocket_connection::send_binary(std::span<const std::uint8_t> bytes) {
  ws_->binary(true);
  co_await ws_->async_write(asio::buffer(bytes.data(), bytes.size()), asio::use_awaitable);
}

asio::awaitable<void> websocket_connection::close(std::uint16_t code, std::string_view reason) {
  websocket::close_reason r(code);
  r.reason.assign(reason.data(), std::min(reason.size(), r.reason.max_size()));
  auto [ec] = co_await ws_->async_close(r, asio::as_tuple(asio::use_awaitable));
  (void)ec;
}

}  // namespace spence::net
