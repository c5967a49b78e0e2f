#pragma once
// The JSON shapes of Lavalink v4 that more than one endpoint or message uses: Track, Exception, a
// load result and the REST error body (Spring's error attributes, which client libraries parse field by field).
// See ../shared/reference/lavalink-v4.md section 1.

#include "net/lavalink/load_result.hpp"
#include "net/lavalink/track_codec.hpp"

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include <cstdint>
#include <string>
#include <string_view>

namespace spence::net::lavalink {

// A Track: `encoded` (as the client sent it or as we encoded it), its info with the playback
// `position_ms`, pluginInfo (probeInfo for http and local tracks, as Lavalink adds it) and userData.
boost::json::object track_json(std::string_view encoded, const decoded_track& track,
                               const boost::json::object& user_data = {}, std::int64_t position_ms = 0);

// An Exception: `cause` is what went wrong underneath (Lavalink: the Java exception's toString).
boost::json::object exception_json(std::string_view message, std::string_view severity, std::string_view cause);

// /v4/loadtracks' answer: {loadType, data} (a track, the search results, null, or an Exception).
boost::json::value load_result_json(const load_result& r);

// Spring's error body: {timestamp, status, error (the reason phrase), message, path}, plus `trace`
// when the client asked for it (?trace=true; spence has no stack trace, so it repeats the message).
boost::json::object error_json(unsigned status, std::string_view message, std::string_view path, bool trace,
                               std::int64_t now_ms);

}  // namespace spence::net::lavalink
