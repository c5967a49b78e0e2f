#pragma once
// A loopback stand-in for SoundCloud's web app and API, serving the shapes in
// fixtures/soundcloud/ (see its README for where each shape comes from) on spence's own HTTP
// server, with the faults the resolver must survive: a client id that rotates, rate limits,
// answers that are not JSON, resources that do not exist; and a stream's media for playback
// tests. Every request is counted by path.

#include "net/http/http_server.hpp"

#include <boost/asio/io_context.hpp>

#include <atomic>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace spence::test {

class soundcloud_fixture {
 public:
  soundcloud_fixture();
  ~soundcloud_fixture();

  std::string base() const;  // http://127.0.0.1:PORT
  // The client id the app's script shows and the API accepts from now on.
  void rotate_client_id(std::string id);
  // What the progressive stream serves (/stream/1.mp3); until set, a 404.
  void set_stream(std::vector<std::uint8_t> media);
  // Requests so far whose path starts with `prefix`.
  int requests(const std::string& prefix) const;

 private:
  class handler;
  boost::asio::io_context io_;
  std::shared_ptr<handler> handler_;
  std::shared_ptr<net::http_server> server_;
  std::uint16_t port_ = 0;
  std::thread thread_;
};

}  // namespace spence::test
