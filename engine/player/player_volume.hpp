#pragma once
// The gain of a player's volume (Lavalink's `volume`, 0-1000 percent), on lavaplayer's curve, not a
// straight line: bots and their users set volumes by ear against Lavalink, so the same number must
// sound as loud here. lavaplayer's PcmVolumeProcessor scales by tan(percent * 0.0079) up to 150%
// (0.417 at 50%, 1.009 at 99%, 2.462 at 150%) and linearly from there (16.4 at 1000%), truncated
// to 1/10000 steps; 100% is exactly 1 (it is left untouched there, which is what lets a track
// pass through).

namespace spence::engine {

float player_volume_gain(int percent);

}  // namespace spence::engine
