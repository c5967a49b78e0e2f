#include "net/websocket/websocket_connection.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/connect.hpp>
#include <boost/asio/ssl/host_name_verification.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/websocket/error.hpp>
#include <boost/beast/websocket/ssl.hpp>

#include <openssl/ssl.h>

namespace spence::net {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace websocket = beast::websocket;
namespace ssl = asio::ssl;
using tcp = asio::ip::tcp;

namespace {

constexpr std::uint16_t abnormal_closure = 1006;
constexpr std::uint16_t message_too_big = 1009;

template <class Stream>
void limit(websocket::stream<Stream>& ws, bool client) {
  ws.read_message_max(websocket_connection::max_message_bytes);
  // Pings keep an idle connection alive and find a dead one; the protocol's own heartbeats still
  // run above this.
  ws.set_option(websocket::stream_base::timeout::suggested(client ? beast::role_type::client : beast::role_type::server));
}

std::shared_ptr<ssl::context> client_context(const websocket_tls& tls, const std::string& host) {
  auto context = std::make_shared<ssl::context>(ssl::context::tls_client);
  context->set_options(ssl::context::no_sslv2 | ssl::context::no_sslv3 | ssl::context::no_tlsv1 |
                       ssl::context::no_tlsv1_1);
  if (tls.ca_file) context->load_verify_file(tls.ca_file->string());
  else context->set_default_verify_paths();
  context->set_verify_mode(ssl::verify_peer);
  context->set_verify_callback(ssl::host_name_verification(host));
  return context;
}

template <class Stream>
asio::awaitable<websocket_message> read_from(websocket::stream<Stream>& ws) {
  beast::flat_buffer buffer;
  auto [ec, n] = co_await ws.async_read(buffer, asio::as_tuple(asio::use_awaitable));
  if (ec == websocket::error::closed) {
    const auto& r = ws.reason();
    co_return websocket_closed{r.code == websocket::close_code::none ? std::uint16_t{1005} : static_cast<std::uint16_t>(r.code),
                               std::string(r.reason.c_str())};
  }
  if (ec == websocket::error::message_too_big) co_return websocket_closed{message_too_big, "message too big"};
  if (ec) co_return websocket_closed{abnormal_closure, ec.message()};
  const auto data = buffer.cdata();
  const auto* p = static_cast<const std::uint8_t*>(data.data());
  if (ws.got_binary()) co_return websocket_binary{std::vector<std::uint8_t>(p, p + data.size())};
  co_return websocket_text{std::string(reinterpret_cast<const char*>(p), data.size())};
}

template <class Stream>
asio::awaitable<void> write_to(websocket::stream<Stream>& ws, bool binary, const void* data, std::size_t size) {
  ws.binary(binary);
  co_await ws.async_write(asio::buffer(data, size), asio::use_awaitable);
}

template <class Stream>
asio::awaitable<void> close_on(websocket::stream<Stream>& ws, std::uint16_t code, std::string_view reason) {
  websocket::close_reason r(code);
  r.reason.assign(reason.data(), std::min(reason.size(), r.reason.max_size()));
  auto [ec] = co_await ws.async_close(r, asio::as_tuple(asio::use_awaitable));
  (void)ec;  // the connection is over either way
}

}  // namespace

websocket_connection::websocket_connection(any_stream ws, std::shared_ptr<ssl::context> client_tls, std::string target)
    : client_tls_(std::move(client_tls)), ws_(std::move(ws)), target_(std::move(target)) {}

asio::awaitable<websocket_connection> websocket_connection::connect(std::string host, std::uint16_t port,
                                                                    std::string target,
                                                                    std::chrono::milliseconds timeout,
                                                                    std::optional<websocket_tls> tls) {
  auto ex = co_await asio::this_coro::executor;
  tcp::resolver resolver(ex);
  auto endpoints = co_await resolver.async_resolve(host, std::to_string(port), asio::use_awaitable);
  const auto host_header = host + ":" + std::to_string(port);
  if (!tls) {
    auto ws = std::make_unique<plain_stream>(ex);
    beast::get_lowest_layer(*ws).expires_after(timeout);
    co_await beast::get_lowest_layer(*ws).async_connect(endpoints, asio::use_awaitable);
    co_await ws->async_handshake(host_header, target, asio::use_awaitable);
    beast::get_lowest_layer(*ws).expires_never();
    limit(*ws, true);
    co_return websocket_connection(std::move(ws), nullptr);
  }
  auto context = client_context(*tls, host);
  auto ws = std::make_unique<tls_stream>(ex, *context);
  beast::get_lowest_layer(*ws).expires_after(timeout);
  co_await beast::get_lowest_layer(*ws).async_connect(endpoints, asio::use_awaitable);
  // SNI: Discord's voice servers sit behind name-based TLS termination.
  if (!SSL_set_tlsext_host_name(ws->next_layer().native_handle(), host.c_str()))
    throw boost::system::system_error(static_cast<int>(::ERR_get_error()), asio::error::get_ssl_category(), "SNI");
  co_await ws->next_layer().async_handshake(ssl::stream_base::client, asio::use_awaitable);
  co_await ws->async_handshake(host_header, target, asio::use_awaitable);
  beast::get_lowest_layer(*ws).expires_never();
  limit(*ws, true);
  co_return websocket_connection(std::move(ws), std::move(context));
}

asio::awaitable<websocket_connection> websocket_connection::accept(tcp::socket socket,
                                                                   std::chrono::milliseconds timeout,
                                                                   ssl::context* tls) {
  // Read the upgrade request ourselves, to keep its target (the voice gateway's "?v=8").
  beast::flat_buffer buffer;
  beast::http::request<beast::http::string_body> request;
  if (!tls) {
    beast::tcp_stream tcp(std::move(socket));
    tcp.expires_after(timeout);
    co_await beast::http::async_read(tcp, buffer, request, asio::use_awaitable);
    co_return co_await accept(tcp.release_socket(), std::move(request), timeout);
  }
  auto ws = std::make_unique<tls_stream>(std::move(socket), *tls);
  beast::get_lowest_layer(*ws).expires_after(timeout);
  co_await ws->next_layer().async_handshake(ssl::stream_base::server, asio::use_awaitable);
  co_await beast::http::async_read(ws->next_layer(), buffer, request, asio::use_awaitable);
  if (!websocket::is_upgrade(request)) throw boost::system::system_error(websocket::error::no_connection_upgrade);
  co_await ws->async_accept(request, asio::use_awaitable);
  beast::get_lowest_layer(*ws).expires_never();
  limit(*ws, false);
  co_return websocket_connection(std::move(ws), nullptr, std::string(request.target()));
}

template <class Stream, class Socket>
asio::awaitable<websocket_connection> websocket_connection::accept_upgrade(Socket socket, upgrade_request request,
                                                                           std::chrono::milliseconds timeout,
                                                                           beast::http::fields response_headers) {
  if (!websocket::is_upgrade(request)) throw boost::system::system_error(websocket::error::no_connection_upgrade);
  auto ws = std::make_unique<Stream>(std::move(socket));
  ws->set_option(websocket::stream_base::decorator([headers = std::move(response_headers)](websocket::response_type& r) {
    for (const auto& field : headers) r.set(field.name_string(), field.value());
  }));
  beast::get_lowest_layer(*ws).expires_after(timeout);
  co_await ws->async_accept(request, asio::use_awaitable);
  beast::get_lowest_layer(*ws).expires_never();
  limit(*ws, false);
  co_return websocket_connection(std::move(ws), nullptr, std::string(request.target()));
}

asio::awaitable<websocket_connection> websocket_connection::accept(tcp::socket socket, upgrade_request request,
                                                                   std::chrono::milliseconds timeout,
                                                                   beast::http::fields response_headers) {
  return accept_upgrade<plain_stream>(std::move(socket), std::move(request), timeout, std::move(response_headers));
}

asio::awaitable<websocket_connection> websocket_connection::accept(asio::local::stream_protocol::socket socket,
                                                                   upgrade_request request,
                                                                   std::chrono::milliseconds timeout,
                                                                   beast::http::fields response_headers) {
  return accept_upgrade<local_stream>(std::move(socket), std::move(request), timeout, std::move(response_headers));
}

asio::awaitable<websocket_message> websocket_connection::read() {
  co_return co_await std::visit([](auto& ws) { return read_from(*ws); }, ws_);
}

asio::awaitable<void> websocket_connection::send_text(std::string_view text) {
  co_await std::visit([&](auto& ws) { return write_to(*ws, false, text.data(), text.size()); }, ws_);
}

asio::awaitable<void> websocket_connection::send_binary(std::span<const std::uint8_t> bytes) {
  co_await std::visit([&](auto& ws) { return write_to(*ws, true, bytes.data(), bytes.size()); }, ws_);
}

asio::awaitable<void> websocket_connection::close(std::uint16_t code, std::string_view reason) {
  co_await std::visit([&](auto& ws) { return close_on(*ws, code, reason); }, ws_);
}

}  // namespace spence::net
