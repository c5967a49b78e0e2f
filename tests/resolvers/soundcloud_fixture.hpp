#pragma once
// A loopback stand-in for SoundCloud's web app and API, serving the shapes in
// fixtures/soundcloud/ (see its README for where each shape comes from) on a fixture_server, with
// the faults the resolver must survive: a client id that rotates, rate limits, answers that are
// not JSON, resources that do not exist; and a stream's media for playback tests. Every request
// is counted by path.

#include "tests/resolvers/fixture_server.hpp"

#include <cstdint>
#include <mutex>
#include <string>
#include <vector>

namespace spence::test {

class soundcloud_fixture {
 public:
  soundcloud_fixture();

  std::string base() const { return server_.base(); }
  // The client id the app's script shows and the API accepts from now on.
  void rotate_client_id(std::string id);
  // What the progressive stream serves (/stream/1.mp3), and the HLS one as four segments
  // (/hls/5/playlist.m3u8); until set, a 404.
  void set_stream(std::vector<std::uint8_t> media);
  // Requests so far whose path starts with `prefix`.
  int requests(const std::string& prefix) const { return server_.requests(prefix); }

 private:
  fixture_response answer(const fixture_request& request);

  mutable std::mutex mutex_;
  std::string client_id_ = "FixtureClientId0001";
  std::string stream_;  // the progressive stream's bytes
  fixture_server server_;  // last: it answers from the members above
};

}  // namespace spence::test
