#pragma once
// How a finished curl transfer's result becomes a media error's code and detail, and which results
// a source may recover from by resuming with a Range request.

#include "engine/media_error.hpp"

#include <curl/curl.h>

#include <string>
#include <string_view>

namespace spence::net {

struct failure_reason {
  engine::media_errc code;
  std::string detail;
  int http_status = 0;  // for http_status: the status the server answered
};

// `status` is the last HTTP status received (0 if none); `curl_error` is curl's error buffer (may be
// empty). HTTP statuses >= 400 -> http_status naming the status; time-outs -> timeout; too many
// redirects -> limit_exceeded; unusable URLs -> malformed; everything else (DNS, connect, TLS,
// broken connections) -> network.
failure_reason describe_curl_failure(CURLcode result, long status, std::string_view curl_error);

// Broken or refused connections, once a response was accepted: worth a new request from the last
// byte received. Not HTTP error statuses, which a server gives on purpose.
bool is_resumable(CURLcode result);

}  // namespace spence::net
