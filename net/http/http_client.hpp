#pragma once
// The HTTP(S) client that http_source streams through: one libcurl multi handle, driven on a strand
// of the executor the owner runs (an io_context's or the actor runtime's pool). Connections are
// reused across sources by curl's connection cache; HTTPS goes through curl's OpenSSL.
//
// Lifetime: the executor's context must outlive the client and every source opened through it.
// Destroying the client returns at once; on the strand it then ends every transfer, so sources
// still open fail their reads with media_error(network).

#include "net/http/http_options.hpp"

#include <boost/asio/any_io_executor.hpp>

#include <memory>

namespace spence::net {

class curl_multi_driver;

class http_client {
 public:
  // Throws std::runtime_error if libcurl cannot be initialized.
  explicit http_client(boost::asio::any_io_executor executor, http_options defaults = {});
  ~http_client();
  http_client(const http_client&) = delete;
  http_client& operator=(const http_client&) = delete;

  // What http_source::open uses when given no options.
  const http_options& defaults() const noexcept { return defaults_; }

 private:
  friend class http_source;
  friend class http_fetch_transfer;
  friend class hls_source;

  std::shared_ptr<curl_multi_driver> driver_;
  http_options defaults_;
};

}  // namespace spence::net
