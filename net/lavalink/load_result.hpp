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
  enum class kind { track, search, empty, error };
  BOOST_DESCRIBE_NESTED_ENUM(kind, track, search, empty, error)
  kind type = kind::empty;
  std::vector<decoded_track> tracks;  // track: one; search: any
  std::string message;                // error: for the client
  std::string severity = "common";    // error: common, suspicious, fault
  std::string cause;                  // error: what went wrong underneath
};
BOOST_DESCRIBE_STRUCT(load_result, (), (type, tracks, message, severity, cause))

}  // namespace spence::net::lavalink
