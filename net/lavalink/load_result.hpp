#pragma once
// What /v4/loadtracks answers for one identifier, as the resolvers produce it. Described, so that
// it can travel in actor messages and traces.

#include "net/lavalink/track_codec.hpp"

#include <boost/describe/class.hpp>
#include <boost/describe/enum.hpp>

#include <string>
#include <vector>

namespace spence::net::lavalink {

struct load_result {
  enum class kind { track, playlist, search, empty, error };
  BOOST_DESCRIBE_NESTED_ENUM(kind, track, playlist, search, empty, error)
  kind type = kind::empty;
  std::vector<decoded_track> tracks;  // track: one; playlist, search: any
  std::string playlist_name;          // playlist
  int selected_track = -1;            // playlist: the index the URL pointed at, -1 for none
  std::string message;                // error: for the client
  std::string severity = "common";    // error: common, suspicious, fault
  std::string cause;                  // error: what went wrong underneath
};
BOOST_DESCRIBE_STRUCT(load_result, (), (type, tracks, playlist_name, selected_track, message, severity, cause))

}  // namespace spence::net::lavalink
