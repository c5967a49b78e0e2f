#pragma once
// A player's `filters` object as Lavalink v4 writes it in JSON, to and from the engine's
// filter_settings. Keys are Lavalink's camelCase names ("channelMix", "leftToRight"); a filter
// object's omitted fields take Lavalink's defaults, a filter set to null is absent; `volume` is a
// bare number and `equalizer` a list of {band, gain} (a band without a gain gets 1.0, the default
// of Lavalink's Band class; a band listed twice takes the last). Unknown keys are ignored, as
// Lavalink ignores them; `pluginFilters` is accepted and ignored (spence has no plugins).

#include "engine/dsp/filter_chain.hpp"

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <boost/system/result.hpp>

#include <string>

namespace spence::net::lavalink {

// The names /v4/info lists, in Lavalink's order.
inline constexpr std::string_view filter_names[] = {"volume",  "equalizer", "karaoke",  "timescale", "tremolo",
                                                    "vibrato", "distortion", "rotation", "channelMix", "lowPass"};

// The filters of `json`, validated by the engine's ranges; otherwise why not, naming the filter
// and field ("timescale.speed must be at least 0").
boost::system::result<engine::filter_settings, std::string> filters_from_json(const boost::json::value& json);

// The present filters, every field written.
boost::json::object filters_to_json(const engine::filter_settings& filters);

}  // namespace spence::net::lavalink
