// The metadata platforms' parsers (Deezer, Spotify, Apple Music) and the mirror's title
// normalisation and score: any bytes, read as JSON when they are JSON, give tracks or nothing,
// never a crash; every track they give has its identifier, title and source name, encodes, and
// decodes back to itself; scores stay in their range.

#include "net/lavalink/track_codec.hpp"
#include "resolvers/apple_music_resolver.hpp"
#include "resolvers/deezer_resolver.hpp"
#include "resolvers/mirror_match.hpp"
#include "resolvers/paged_list.hpp"
#include "resolvers/spotify_resolver.hpp"

#include <boost/json/parse.hpp>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

namespace {

using namespace spence;
namespace lavalink = net::lavalink;

void check(const lavalink::decoded_track& t) {
  if (t.info.identifier.empty() || t.info.source_name.empty() || t.info.length_ms < 0) std::abort();
  auto encoded = lavalink::encode_track(t);
  if (!encoded) return;  // text lavaplayer cannot hold (over 65535 bytes) is refused, not mangled
  auto decoded = lavalink::decode_track(*encoded);
  if (!decoded || !(*decoded == t)) std::abort();
  const auto score = resolvers::score_match(t.info, t.info);
  if (score.score < 0 || score.score > 2) std::abort();
}

void parse_all(const boost::json::object& o) {
  if (auto t = resolvers::deezer_track(o, &o)) check(*t);
  if (auto t = resolvers::spotify_track(o, &o)) check(*t);
  if (auto t = resolvers::apple_music_track(o)) check(*t);
  for (const auto& t : resolvers::deezer_tracks(o)) check(t);
  auto checked = resolvers::deezer_checked({o, {}, false});
  if (!checked.body && !checked.not_found && checked.failure.message.empty()) std::abort();
  const resolvers::page_walk how{"items", 6, [](const std::string&) { return resolvers::json_reply{std::nullopt, {}, true}; }};
  resolvers::walk_pages(&o, how, [](const boost::json::object& item) {
    if (auto t = resolvers::spotify_track(item)) check(*t);
  });
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const auto normalised = resolvers::normalised_title(text);
  if (normalised.size() > 2 * size + 1) std::abort();
  boost::system::error_code ec;
  auto value = boost::json::parse(text, ec);
  if (ec) return 0;
  if (value.is_object()) {
    parse_all(value.as_object());
    for (const auto& [key, v] : value.as_object())
      if (v.is_object()) parse_all(v.as_object());
      else if (v.is_array())
        for (const auto& item : v.as_array())
          if (item.is_object()) parse_all(item.as_object());
  }
  return 0;
}
