#pragma once
// A voice stream: the audio a guild's player sends through its voice connection. The two actors
// find their shared packet sink by the stream's name and tag their notices with it. Usually a
// guild has one stream, named by the guild's ID; a Lavalink node serving several bots in one guild
// names one per player.

#include <string>

namespace spence::engine {

// The stream an actor's config names, else the guild's.
inline const std::string& voice_stream_of(const std::string& guild, const std::string& named) {
  return named.empty() ? guild : named;
}

}  // namespace spence::engine
