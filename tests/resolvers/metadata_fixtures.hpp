#pragma once
// Loopback stand-ins for the metadata platforms' APIs, serving the shapes in fixtures/deezer/,
// fixtures/spotify/ and fixtures/apple_music/ (each README says where its shapes come from) on a
// fixture_server each, with the faults their resolvers must survive: Deezer's errors in a 200,
// rate limits with Retry-After, answers that are not JSON, resources that do not exist, Spotify's
// token refused, expired and renewed, Apple Music's token refused.

#include "tests/resolvers/fixture_server.hpp"

#include <mutex>
#include <set>
#include <string>

namespace spence::test {

// Deezer's public API: its base is base().
class deezer_fixture {
 public:
  deezer_fixture();
  std::string base() const { return server_.base(); }
  int requests(const std::string& prefix) const { return server_.requests(prefix); }

 private:
  fixture_response answer(const fixture_request& request);
  fixture_server server_;
};

// Spotify's accounts service (base()) and Web API (base() + "/v1"). Tokens are issued to the
// client id "fixture-id" with the secret "fixture-secret".
class spotify_fixture {
 public:
  static constexpr std::string_view client_id = "fixture-id";
  static constexpr std::string_view client_secret = "fixture-secret";

  spotify_fixture();
  std::string base() const { return server_.base(); }
  int requests(const std::string& prefix) const { return server_.requests(prefix); }
  // The tokens issued so far stop working (as when they expire).
  void expire_tokens();
  int tokens_issued() const;

 private:
  fixture_response answer(const fixture_request& request);
  fixture_response token(const fixture_request& request);
  mutable std::mutex mutex_;
  std::set<std::string> valid_;
  int issued_ = 0;
  fixture_server server_;  // last: it answers through the members above
};

// Apple Music's catalog API (base()); it accepts the developer token "fixture-developer-token".
class apple_music_fixture {
 public:
  static constexpr std::string_view token = "fixture-developer-token";

  apple_music_fixture();
  std::string base() const { return server_.base(); }
  int requests(const std::string& prefix) const { return server_.requests(prefix); }

 private:
  fixture_response answer(const fixture_request& request);
  fixture_server server_;
};

}  // namespace spence::test
