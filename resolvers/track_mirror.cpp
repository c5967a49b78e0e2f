#include "resolvers/track_mirror.hpp"

#include "resolvers/identifier_route.hpp"
#include "resolvers/metadata_track.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

namespace spence::resolvers {

namespace lavalink = net::lavalink;
using kind = lavalink::load_result::kind;

namespace {

void replace_all(std::string& text, std::string_view what, std::string_view with) {
  for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + with.size())) text.replace(at, what.size(), with);
}

}  // namespace

std::optional<std::string> provider_problem(std::string_view provider) {
  for (const auto prefix : {"dzsearch:", "dzisrc:", "spsearch:", "amsearch:"})
    if (provider.starts_with(prefix))
      return fmt::format("{} searches a metadata platform; a provider must find playable tracks (ytsearch:, scsearch:)", prefix);
  if (provider.empty()) return std::string("a provider must not be empty");
  return std::nullopt;
}

track_mirror::track_mirror(mirror_settings settings, loader load) : settings_(std::move(settings)), load_(std::move(load)) {}

boost::system::result<lavalink::decoded_track, std::string> track_mirror::find(const lavalink::track_info& wanted) const {
  std::vector<std::string> tried;
  for (const auto& provider : settings_.providers) {
    if (provider_problem(provider)) continue;
    std::string identifier = provider;
    if (identifier.find("%ISRC%") != std::string::npos) {
      if (!wanted.isrc || wanted.isrc->empty()) continue;
      replace_all(identifier, "%ISRC%", *wanted.isrc);
    }
    replace_all(identifier, "%QUERY%", wanted.title + (wanted.author.empty() ? "" : " " + wanted.author));
    auto result = load_(identifier);
    if (result.type == kind::error) {
      tried.push_back(fmt::format("{}: {}", identifier, result.message));
      continue;
    }
    std::erase_if(result.tracks, [](const auto& t) { return is_metadata_source(t.info.source_name); });
    auto chosen = best_match(wanted, result.tracks, settings_.match);
    if (!chosen) {
      tried.push_back(fmt::format("{}: {} results, none close enough", identifier, result.tracks.size()));
      continue;
    }
    auto& track = result.tracks[chosen->index];
    spdlog::debug("mirror: \"{}\" by {} plays as {} \"{}\" by {} ({}; through {})", wanted.title, wanted.author,
                  track.info.source_name, track.info.title, track.info.author, chosen->score.reason, identifier);
    return std::move(track);
  }
  if (tried.empty()) return std::string("no provider could search for this track (sources.mirror_providers)");
  std::string why = "no playable match for \"" + wanted.title + "\" by " + wanted.author + " within tolerance (";
  for (std::size_t i = 0; i < tried.size(); ++i) why += (i ? "; " : "") + tried[i];
  return why + ")";
}

}  // namespace spence::resolvers
