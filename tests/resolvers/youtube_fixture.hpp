#pragma once
// A loopback stand-in for YouTube's InnerTube API (and YouTube Music's), serving the shapes in
// fixtures/youtube/ (its README says where each comes from) on a fixture_server: POST
// /youtubei/v1/player, /search and /browse answered by the request's videoId, query or browseId
// and its context.client.clientName; stream URLs (/videoplayback/ID.webm?expire=...) that serve
// the media a test sets. Faults: 429s with Retry-After, answers that are not JSON, answers missing
// what a track needs, refusals of every kind, and a client (ANDROID_VR) that is refused what
// another (IOS) may play. Every request is counted by path; player requests also by client.

#include "tests/resolvers/fixture_server.hpp"

#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <vector>

namespace spence::test {

class youtube_fixture {
 public:
  youtube_fixture();

  std::string base() const { return server_.base(); }
  // What /videoplayback/ID.webm serves; until set, a 404.
  void set_stream(std::vector<std::uint8_t> media);
  int requests(const std::string& prefix) const { return server_.requests(prefix); }
  // /player requests so far that named this clientName.
  int player_requests(const std::string& client) const;
  // The last request body's JSON, as sent (for the request-shape test).
  std::string last_body() const;

 private:
  fixture_response answer(const fixture_request& request);
  fixture_response player(const std::string& id, const std::string& client);
  fixture_response search(const std::string& query, const std::string& client);
  fixture_response file(const std::string& name, const std::string& id, std::chrono::seconds expires_in) const;

  mutable std::mutex mutex_;
  std::string stream_;
  std::map<std::string, int> player_clients_;
  std::string last_body_;
  fixture_server server_;  // last: it answers from the members above
};

}  // namespace spence::test
