#include "net/http/http_client.hpp"

#include "net/http/curl_multi_driver.hpp"

#include <boost/asio/post.hpp>

namespace spence::net {

http_client::http_client(boost::asio::any_io_executor executor, http_options defaults)
    : driver_(std::make_shared<curl_multi_driver>(boost::asio::make_strand(std::move(executor)))),
      defaults_(std::move(defaults)) {}

// The driver outlives the client until the strand has closed it (or the context dropped the
// handler, which frees the driver and closes it then).
http_client::~http_client() {
  boost::asio::post(driver_->strand(), [driver = driver_] { driver->close(); });
}

}  // namespace spence::net
