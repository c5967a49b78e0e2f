#include "net/http/http_fetch.hpp"

#include "net/http/curl_multi_driver.hpp"
#include "net/http/redact_url.hpp"

#include <boost/asio/post.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <future>
#include <memory>

namespace spence::net {

namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r' || s.back() == '\n')) s.remove_suffix(1);
  return s;
}

}  // namespace

std::optional<std::string_view> http_fetch_reply::header(std::string_view name) const {
  const auto wanted = lower(name);
  for (const auto& [key, value] : headers)
    if (key == wanted) return std::string_view(value);
  return std::nullopt;
}

// One exchange on the driver's strand. Held by the driver while its handle runs.
class http_fetch_transfer final : public curl_multi_driver::transfer {
 public:
  http_fetch_transfer(http_fetch_request request, std::function<void(http_fetch_result)> done)
      : request_(std::move(request)), done_(std::move(done)) {}

  static void launch(http_client& client, http_fetch_request request, std::function<void(http_fetch_result)> done) {
    launch(client.driver_, client.defaults(), std::move(request), std::move(done));
  }
  static void launch(const std::shared_ptr<curl_multi_driver>& driver, const http_options& defaults,
                     http_fetch_request request, std::function<void(http_fetch_result)> done) {
    auto transfer = std::make_shared<http_fetch_transfer>(std::move(request), std::move(done));
    boost::asio::post(driver->strand(), [driver, transfer, defaults] { transfer->start(driver, transfer, defaults); });
  }
  ~http_fetch_transfer() override {
    if (headers_) curl_slist_free_all(headers_);
    if (easy_) curl_easy_cleanup(easy_);
  }

  void start(const std::shared_ptr<curl_multi_driver>& driver, const std::shared_ptr<http_fetch_transfer>& self,
             const http_options& defaults) {
    easy_ = curl_easy_init();
    if (!easy_) return finish(std::string("cannot create a curl handle"));
    if (request_.method != "GET" && request_.method != "POST")
      return finish("spence fetches with GET or POST, not " + request_.method);
    CURLcode result = CURLE_OK;
    const auto set = [&](CURLoption option, auto value) {
      if (result == CURLE_OK) result = curl_easy_setopt(easy_, option, value);
    };
    set(CURLOPT_URL, request_.url.c_str());
    set(CURLOPT_PROTOCOLS_STR, "http,https");
    set(CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
    set(CURLOPT_FOLLOWLOCATION, 1L);
    set(CURLOPT_MAXREDIRS, defaults.max_redirects);
    set(CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(defaults.connect_timeout.count()));
    set(CURLOPT_TIMEOUT_MS, static_cast<long>(request_.timeout.count()));
    set(CURLOPT_USERAGENT, defaults.user_agent.c_str());
    set(CURLOPT_ACCEPT_ENCODING, "");  // whatever curl can decode (gzip, deflate)
    set(CURLOPT_NOSIGNAL, 1L);
    set(CURLOPT_ERRORBUFFER, curl_error_);
    set(CURLOPT_HEADERFUNCTION, &http_fetch_transfer::on_header);
    set(CURLOPT_HEADERDATA, this);
    set(CURLOPT_WRITEFUNCTION, &http_fetch_transfer::on_body);
    set(CURLOPT_WRITEDATA, this);
    if (request_.method == "POST") {
      set(CURLOPT_POST, 1L);
      set(CURLOPT_POSTFIELDSIZE, static_cast<long>(request_.body.size()));
      set(CURLOPT_POSTFIELDS, request_.body.c_str());  // not copied: request_ lives as long as the handle
    }
    for (const auto& [name, value] : request_.headers) {
      if (name.find_first_of("\r\n:") != std::string::npos || value.find_first_of("\r\n") != std::string::npos)
        return finish("a request header holds a line break or a colon in its name: " + name);
      headers_ = curl_slist_append(headers_, fmt::format("{}: {}", name, value).c_str());
    }
    if (headers_) set(CURLOPT_HTTPHEADER, headers_);
    if (result != CURLE_OK) return finish(fmt::format("cannot configure the request: {}", curl_easy_strerror(result)));
    if (!driver->add(easy_, self)) finish(std::string("the HTTP client was closed"));
  }

 private:
  static std::size_t on_header(char* data, std::size_t size, std::size_t count, void* self) {
    auto& t = *static_cast<http_fetch_transfer*>(self);
    const std::string_view line(data, size * count);
    if (line.starts_with("HTTP/")) {
      t.reply_.headers.clear();  // a redirect's or an interim response's head: only the last counts
    } else if (const auto colon = line.find(':'); colon != std::string_view::npos) {
      t.reply_.headers.emplace_back(lower(trim(line.substr(0, colon))), std::string(trim(line.substr(colon + 1))));
    }
    return size * count;
  }

  static std::size_t on_body(char* data, std::size_t size, std::size_t count, void* self) {
    auto& t = *static_cast<http_fetch_transfer*>(self);
    if (t.reply_.body.size() + size * count > t.request_.max_body_bytes) {
      t.too_large_ = true;
      return 0;  // curl ends the transfer with CURLE_WRITE_ERROR
    }
    t.reply_.body.append(data, size * count);
    return size * count;
  }

  void on_done(CURLcode result) override {
    const auto where = redact_url(request_.url);
    if (too_large_)
      return finish(fmt::format("{}: the response is larger than {} bytes", where, request_.max_body_bytes));
    if (result != CURLE_OK) {
      const std::string detail = curl_error_[0] ? curl_error_ : curl_easy_strerror(result);
      if (result == CURLE_OPERATION_TIMEDOUT)
        return finish(fmt::format("{}: no complete response within {} ms", where, request_.timeout.count()));
      return finish(fmt::format("{}: {}", where, detail));
    }
    curl_easy_getinfo(easy_, CURLINFO_RESPONSE_CODE, &reply_.status);
    char* final_url = nullptr;
    if (curl_easy_getinfo(easy_, CURLINFO_EFFECTIVE_URL, &final_url) == CURLE_OK && final_url) reply_.final_url = final_url;
    finish(std::move(reply_));
  }
  void on_closed() override { finish(redact_url(request_.url) + ": the HTTP client was closed"); }

  void finish(http_fetch_result r) {
    if (!done_) return;
    auto done = std::move(done_);
    done_ = nullptr;
    done(std::move(r));
  }

  http_fetch_request request_;
  std::function<void(http_fetch_result)> done_;
  CURL* easy_ = nullptr;
  curl_slist* headers_ = nullptr;
  char curl_error_[CURL_ERROR_SIZE] = {};
  http_fetch_reply reply_;
  bool too_large_ = false;
};

void async_fetch(http_client& client, http_fetch_request request, std::function<void(http_fetch_result)> done) {
  http_fetch_transfer::launch(client, std::move(request), std::move(done));
}

void async_fetch(const std::shared_ptr<curl_multi_driver>& driver, const http_options& defaults,
                 http_fetch_request request, std::function<void(http_fetch_result)> done) {
  http_fetch_transfer::launch(driver, defaults, std::move(request), std::move(done));
}

http_fetch_result fetch(http_client& client, http_fetch_request request) {
  auto answer = std::make_shared<std::promise<http_fetch_result>>();
  auto ready = answer->get_future();
  async_fetch(client, std::move(request), [answer](http_fetch_result r) { answer->set_value(std::move(r)); });
  return ready.get();
}

}  // namespace spence::net
