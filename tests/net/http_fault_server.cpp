#include "tests/net/http_fault_server.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/streambuf.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <chrono>
#include <optional>
#include <utility>

namespace spence::test {
namespace {

namespace asio = boost::asio;
using asio::ip::tcp;
using asio::use_awaitable;

constexpr std::size_t piece_size = 16 * 1024;
constexpr std::uint64_t no_limit = ~std::uint64_t{0};

std::optional<std::uint64_t> to_number(std::string_view text) {
  std::uint64_t value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

using query = std::vector<std::pair<std::string, std::string>>;

query parse_query(std::string_view target) {
  query pairs;
  const std::size_t mark = target.find('?');
  if (mark == std::string_view::npos) return pairs;
  std::string_view rest = target.substr(mark + 1);
  while (!rest.empty()) {
    const std::string_view item = rest.substr(0, rest.find('&'));
    const std::size_t equals = item.find('=');
    pairs.emplace_back(item.substr(0, equals), equals == std::string_view::npos ? "" : item.substr(equals + 1));
    rest.remove_prefix(std::min(rest.size(), item.size() + 1));
  }
  return pairs;
}

std::string with_param(std::string_view target, const query& pairs, std::string_view name, std::string_view value) {
  std::string out(target.substr(0, target.find('?')));
  char separator = '?';
  for (const auto& [key, old] : pairs) {
    out += fmt::format("{}{}={}", separator, key, key == name ? value : std::string_view(old));
    separator = '&';
  }
  return out;
}

std::optional<std::uint64_t> range_start(std::string_view range) {
  if (!range.starts_with("bytes=") || !range.ends_with("-")) return std::nullopt;
  return to_number(range.substr(6, range.size() - 7));
}

std::string header_value(std::string_view head, std::string_view name) {
  std::size_t at = 0;
  while ((at = head.find("\r\n", at)) != std::string_view::npos) {
    at += 2;
    const std::string_view line = head.substr(at, head.find("\r\n", at) - at);
    if (line.size() > name.size() && line[name.size()] == ':' &&
        std::equal(name.begin(), name.end(), line.begin(), [](char a, char b) { return std::tolower(a) == std::tolower(b); })) {
      std::string_view value = line.substr(name.size() + 1);
      while (value.starts_with(' ')) value.remove_prefix(1);
      return std::string(value);
    }
  }
  return {};
}

asio::awaitable<void> write_text(tcp::socket& socket, std::string text) {
  co_await asio::async_write(socket, asio::buffer(text), use_awaitable);
}

asio::awaitable<void> pause_for(std::chrono::milliseconds duration) {
  asio::steady_timer timer(co_await asio::this_coro::executor, duration);
  co_await timer.async_wait(use_awaitable);
}

asio::awaitable<void> send_endless_chunks(tcp::socket& socket) {
  co_await write_text(socket, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n");
  for (std::uint64_t offset = 0;; offset += piece_size) {
    const auto piece = http_fault_server::bytes(offset, piece_size);
    co_await write_text(socket, fmt::format("{:x}\r\n", piece_size));
    co_await asio::async_write(socket, asio::buffer(piece), use_awaitable);
    co_await write_text(socket, "\r\n");
  }
}

}  // namespace

// What one request asks the server to do, from its query string.
struct fault_plan {
  std::uint64_t size = 0;
  int status = 0;
  std::optional<std::string> redirect;
  std::uint64_t drop_after = no_limit;
  std::uint64_t reset_after = no_limit;
  std::uint64_t stall_after = no_limit;
  std::size_t trickle_bytes = 0;
  int trickle_ms = 0;
  bool ignore_range = false;
  bool accept_ranges = true;
  std::uint64_t lie = 0;
  bool chunked = false;
  bool content = false;
  std::uint64_t hold_after = no_limit;

  explicit fault_plan(const query& pairs) {
    for (const auto& [key, value] : pairs) {
      const std::uint64_t number = to_number(value).value_or(0);
      if (key == "size") size = number;
      else if (key == "status") status = static_cast<int>(number);
      else if (key == "redirect") redirect = value;
      else if (key == "drop_after") drop_after = number;
      else if (key == "reset_after") reset_after = number;
      else if (key == "stall_after") stall_after = number;
      else if (key == "ignore_range") ignore_range = number != 0;
      else if (key == "accept_ranges") accept_ranges = number != 0;
      else if (key == "lie") lie = number;
      else if (key == "chunked") chunked = number != 0;
      else if (key == "content") content = number != 0;
      else if (key == "hold_after") hold_after = number;
      else if (key == "trickle") {
        const std::size_t comma = value.find(',');
        trickle_bytes = to_number(std::string_view(value).substr(0, comma)).value_or(0);
        if (comma != std::string::npos) trickle_ms = static_cast<int>(to_number(value.substr(comma + 1)).value_or(0));
      }
    }
  }

  std::uint64_t body_limit() const { return std::min({drop_after, reset_after, stall_after}); }
};

asio::awaitable<void> http_fault_server::respond(tcp::socket& socket, std::string_view target, std::string_view range) {
  const query pairs = parse_query(target);
  const fault_plan plan(pairs);
  if (plan.status != 0) {
    co_await write_text(socket, fmt::format("HTTP/1.1 {} Fault\r\nContent-Length: 5\r\nConnection: close\r\n\r\nfault",
                                            plan.status));
    co_return;
  }
  if (plan.redirect) {
    const bool loop = *plan.redirect == "loop";
    const std::uint64_t hops = to_number(*plan.redirect).value_or(0);
    if (loop || hops > 0) {
      const std::string next = loop ? std::string(target) : with_param(target, pairs, "redirect", std::to_string(hops - 1));
      co_await write_text(socket, fmt::format("HTTP/1.1 302 Found\r\nLocation: {}\r\nContent-Length: 0\r\n"
                                              "Connection: close\r\n\r\n", next));
      co_return;
    }
  }
  if (plan.chunked) {
    co_await send_endless_chunks(socket);
    co_return;
  }
  std::shared_ptr<const std::vector<std::uint8_t>> content;
  if (plan.content) {
    std::lock_guard lock(mutex_);
    content = content_;
  }
  const std::uint64_t size = content ? content->size() : plan.size;

  const std::optional<std::uint64_t> wanted = plan.ignore_range ? std::nullopt : range_start(range);
  const std::uint64_t first = wanted.value_or(0);
  if (wanted && first >= size) {
    co_await write_text(socket, fmt::format("HTTP/1.1 416 Range Not Satisfiable\r\nContent-Range: bytes */{}\r\n"
                                            "Content-Length: 0\r\nConnection: close\r\n\r\n", size));
    co_return;
  }
  const std::uint64_t announced_size = size + plan.lie;
  std::string head = wanted ? fmt::format("HTTP/1.1 206 Partial Content\r\nContent-Range: bytes {}-{}/{}\r\n", first,
                                          announced_size - 1, announced_size)
                            : std::string("HTTP/1.1 200 OK\r\n");
  head += fmt::format("Content-Length: {}\r\n", announced_size - first);
  if (plan.accept_ranges) head += "Accept-Ranges: bytes\r\n";
  head += "Connection: close\r\n\r\n";
  co_await write_text(socket, std::move(head));

  const std::uint64_t count = std::min(size - first, plan.body_limit());
  co_await send_body(socket, first, count, plan, content.get());
  if (count == plan.stall_after) co_await pause_for(std::chrono::hours(1));  // until the server stops
  if (count == plan.reset_after) socket.set_option(tcp::socket::linger(true, 0));
}

asio::awaitable<void> http_fault_server::send_body(tcp::socket& socket, std::uint64_t first, std::uint64_t count,
                                                  const fault_plan& plan, const std::vector<std::uint8_t>* content) {
  std::vector<std::uint8_t> piece;
  const std::size_t step = plan.trickle_bytes > 0 ? plan.trickle_bytes : piece_size;
  for (std::uint64_t sent = 0; sent < count;) {
    if (first + sent == plan.hold_after) co_await wait_for_release();
    auto n = static_cast<std::size_t>(std::min<std::uint64_t>(step, count - sent));
    // A piece ends at the hold point, so exactly hold_after bytes go out before it.
    if (first + sent < plan.hold_after) n = static_cast<std::size_t>(std::min<std::uint64_t>(n, plan.hold_after - first - sent));
    if (content)
      piece.assign(content->begin() + static_cast<std::ptrdiff_t>(first + sent),
                   content->begin() + static_cast<std::ptrdiff_t>(first + sent + n));
    else
      piece = bytes(first + sent, n);
    co_await asio::async_write(socket, asio::buffer(piece), use_awaitable);
    sent += n;
    if (plan.trickle_ms > 0) co_await pause_for(std::chrono::milliseconds(plan.trickle_ms));
  }
}

asio::awaitable<void> http_fault_server::wait_for_release() {
  holding_ = true;
  while (!released_) {
    release_timer_.expires_at(asio::steady_timer::time_point::max());
    boost::system::error_code ignored;
    co_await release_timer_.async_wait(asio::redirect_error(use_awaitable, ignored));
  }
  holding_ = false;
}

void http_fault_server::set_content(std::vector<std::uint8_t> content) {
  std::lock_guard lock(mutex_);
  content_ = std::make_shared<const std::vector<std::uint8_t>>(std::move(content));
}

bool http_fault_server::holding() const { return holding_; }

void http_fault_server::release() {
  asio::post(io_, [this] {
    released_ = true;
    release_timer_.cancel();
  });
}

http_fault_server::http_fault_server()
    : acceptor_(io_, tcp::endpoint(asio::ip::address_v4::loopback(), 0)), release_timer_(io_) {
  port_ = acceptor_.local_endpoint().port();
  asio::co_spawn(io_, accept_loop(), asio::detached);
  thread_ = std::thread([this] { io_.run(); });
}

http_fault_server::~http_fault_server() {
  io_.stop();
  thread_.join();
}

std::string http_fault_server::url(std::string_view target) const {
  return fmt::format("http://127.0.0.1:{}{}", port_, target);
}

std::vector<recorded_request> http_fault_server::requests() const {
  std::lock_guard lock(mutex_);
  return requests_;
}

std::uint8_t http_fault_server::byte_at(std::uint64_t offset) {
  // A multiplicative hash: neighbouring offsets differ, so a shifted or repeated range shows.
  return static_cast<std::uint8_t>((offset * 0x9E3779B97F4A7C15ull) >> 56);
}

std::vector<std::uint8_t> http_fault_server::bytes(std::uint64_t first, std::uint64_t count) {
  std::vector<std::uint8_t> out(count);
  for (std::uint64_t i = 0; i < count; ++i) out[i] = byte_at(first + i);
  return out;
}

asio::awaitable<void> http_fault_server::accept_loop() {
  for (;;) {
    tcp::socket socket = co_await acceptor_.async_accept(use_awaitable);
    asio::co_spawn(io_, serve(std::move(socket)), asio::detached);
  }
}

asio::awaitable<void> http_fault_server::serve(tcp::socket socket) {
  try {
    std::string head;
    co_await asio::async_read_until(socket, asio::dynamic_buffer(head, 16 * 1024), "\r\n\r\n", use_awaitable);
    const std::size_t target_begin = head.find(' ') + 1;
    const std::string target = head.substr(target_begin, head.find(' ', target_begin) - target_begin);
    const std::string range = header_value(head, "Range");
    {
      std::lock_guard lock(mutex_);
      requests_.push_back({target, range});
    }
    co_await respond(socket, target, range);
    socket.close();
  } catch (const boost::system::system_error&) {
    // The client went away (or never sent a whole request): nothing to serve.
  }
}

std::uint16_t closed_port() {
  asio::io_context io;
  tcp::acceptor acceptor(io, tcp::endpoint(asio::ip::address_v4::loopback(), 0));
  return acceptor.local_endpoint().port();
}

}  // namespace spence::test
