#pragma once
// A whole HTTP exchange, for APIs rather than media: the resolvers' JSON and HTML requests. One
// request (GET, or POST with a body) through the http_client's curl multi handle, its response
// collected whole: the status, the headers of the final response (after redirects) and the body,
// bounded in size and in time. Any status comes back as a reply (a 429 with its Retry-After is the
// caller's to honour); only transport failures, time-outs and oversized bodies are errors.

#include "net/http/http_client.hpp"

#include <boost/system/result.hpp>

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace spence::net {

class curl_multi_driver;

struct http_fetch_request {
  std::string url;
  std::string method = "GET";  // GET or POST
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;  // sent with POST
  std::size_t max_body_bytes = 4 << 20;
  std::chrono::milliseconds timeout{10'000};  // the whole exchange, redirects included
};

struct http_fetch_reply {
  long status = 0;
  std::vector<std::pair<std::string, std::string>> headers;  // the final response's, names lower case
  std::string body;
  std::string final_url;  // after redirects

  // The first header of that name (any case), if any.
  std::optional<std::string_view> header(std::string_view name) const;
};

// Why an exchange gave no reply, for a log and a client's error message (the URL redacted).
using http_fetch_result = boost::system::result<http_fetch_reply, std::string>;

// Starts the exchange; `done` runs on the client's strand with the reply or the reason.
void async_fetch(http_client& client, http_fetch_request request, std::function<void(http_fetch_result)> done);
// The same on a client's driver, for a caller that may outlive the client object (hls_source):
// once the client is destroyed the exchange fails, and nothing touches the client.
void async_fetch(const std::shared_ptr<curl_multi_driver>& driver, const http_options& defaults,
                 http_fetch_request request, std::function<void(http_fetch_result)> done);
// Waits for it: never call it on the thread that runs the client's executor.
http_fetch_result fetch(http_client& client, http_fetch_request request);

}  // namespace spence::net
