#include "net/http/curl_failure.hpp"

#include <fmt/format.h>

namespace spence::net {

using engine::media_errc;

failure_reason describe_curl_failure(CURLcode result, long status, std::string_view curl_error) {
  std::string detail(curl_error.empty() ? std::string_view(curl_easy_strerror(result)) : curl_error);
  switch (result) {
    case CURLE_HTTP_RETURNED_ERROR:
      return {media_errc::http_status, fmt::format("HTTP status {}", status), static_cast<int>(status)};
    case CURLE_OPERATION_TIMEDOUT:
      return {media_errc::timeout, std::move(detail)};
    case CURLE_TOO_MANY_REDIRECTS:
      return {media_errc::limit_exceeded, std::move(detail)};
    case CURLE_URL_MALFORMAT:
    case CURLE_UNSUPPORTED_PROTOCOL:
      return {media_errc::malformed, std::move(detail)};
    default:
      return {media_errc::network, std::move(detail)};
  }
}

bool is_resumable(CURLcode result) {
  switch (result) {
    case CURLE_PARTIAL_FILE:
    case CURLE_RECV_ERROR:
    case CURLE_SEND_ERROR:
    case CURLE_GOT_NOTHING:
    case CURLE_COULDNT_CONNECT:
    case CURLE_OPERATION_TIMEDOUT:
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_HTTP2:
    case CURLE_HTTP2_STREAM:
      return true;
    default:
      return false;
  }
}

}  // namespace spence::net
