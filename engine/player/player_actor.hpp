#pragma once
// A guild's player as an actor (e.g. /node/guild/1234/player). Its bounded control mailbox takes
// the commands of player_protocol.hpp; its audio is a player_session ticked by a tick shard. The
// actor never touches the session directly: commands go to the shard owning it (so each takes
// effect at a frame boundary) and the shard reports back what it played (frames_played), which
// is where the player's events come from. Tracks are opened on a separate executor because
// opening may wait on the network; the opened reader then travels to the shard with the play
// command, and the commands received meanwhile wait behind it, so all take effect in order. Events leave the player as JSON notices, one per line, through the effect sink named
// in its config.
//
// Replay. With a trace recorded, every packet is digested and every read of a track's source is
// logged (media_log.hpp). Replayed, the actor has no shard: it ticks its own session offline, at
// the recorded frames, applying each command before the recorded tick, reading media from the
// logs, and fails the frames_played message (so `spence replay` points at it) when the packets
// or events it recomputes differ from the recording.

#include "actors/actor.hpp"
#include "actors/actor_registry.hpp"
#include "engine/byte_source.hpp"
#include "engine/player/packet_sink.hpp"
#include "engine/player/player_protocol.hpp"
#include "engine/player/player_session.hpp"
#include "engine/player/shard_pool.hpp"

#include <boost/asio/any_io_executor.hpp>
#include <boost/describe/class.hpp>

#include <deque>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <string_view>
#include <variant>

namespace spence::engine {

// What players need from the process (actors::service_registry).
struct player_services {
  std::shared_ptr<shard_pool> shards;  // live only
  boost::asio::any_io_executor opening;  // where tracks are opened: their first reads may wait
  // Opens what a play_track names. May block; throws media_error.
  std::function<std::unique_ptr<byte_source>(const std::string& track)> open;
  // A voice stream's packet destination (see config::voice_stream); null function: packets go nowhere.
  std::function<std::shared_ptr<packet_sink>(const std::string& voice_stream)> make_sink;
  // Where media reads are logged while a trace is recorded, and read back on replay. Empty: not
  // logged (such a trace replays only until its first track).
  std::filesystem::path media_logs;
};

class player_actor {
 public:
  static constexpr std::string_view kind = "engine.player";
  using protocol = std::variant<play_track, stop_track, pause_player, seek_track, set_track_end, set_player_volume,
                                set_player_filters, destroy_player, get_player_state, track_opened, frames_played>;
  struct config {
    std::string guild;
    std::string events_sink;  // effect sink for notices; empty: none
    player_settings settings;
    std::uint32_t update_interval_ms = 5000;  // PlayerUpdate notices while playing (Lavalink's default)
    // The voice stream it feeds: the key of its packet sink, shared with the guild's voice
    // connection actor, and the tag on its notices. Empty: the guild ID (one stream per guild);
    // a node with several bots in one guild gives each player its own.
    std::string voice_stream;
    BOOST_DESCRIBE_CLASS(config, (), (guild, events_sink, settings, update_interval_ms, voice_stream), (), ())
  };

  // Throws std::invalid_argument without player_services (or, live, without shards).
  player_actor(const config& c, actors::context<protocol>& ctx);
  ~player_actor();
  player_actor(const player_actor&) = delete;
  player_actor& operator=(const player_actor&) = delete;

  void handle(const play_track& m, actors::context<protocol>& ctx);
  void handle(const stop_track& m, actors::context<protocol>& ctx);
  void handle(const pause_player& m, actors::context<protocol>& ctx);
  void handle(const seek_track& m, actors::context<protocol>& ctx);
  void handle(const set_track_end& m, actors::context<protocol>& ctx);
  void handle(const set_player_volume& m, actors::context<protocol>& ctx);
  void handle(const set_player_filters& m, actors::context<protocol>& ctx);
  void handle(const destroy_player& m, actors::context<protocol>& ctx);
  void handle(const get_player_state& m, actors::context<protocol>& ctx);
  void handle(const track_opened& m, actors::context<protocol>& ctx);
  void handle(const frames_played& m, actors::context<protocol>& ctx);

 private:
  using command_fn = std::function<void(player_engine&)>;
  class opened_readers;

  // Sends `fn` to the session as command `id` (live), or keeps it for its recorded tick (replay).
  void issue(std::uint64_t id, command_fn fn);
  // How the track of `play` is read (its start; the filters come with the engine).
  track_settings reader_settings(const play_track& play) const;
  // A command in the order received: an engine command, or a track to open and then play.
  struct intent {
    std::uint64_t id = 0;
    command_fn fn;
    std::optional<play_track> play;
  };
  // Runs `next` now, or holds it behind a track being opened.
  void submit(intent next, actors::context<protocol>& ctx);
  // Starts opening `play` on the opening executor (live), as command `id`.
  void start_opening(std::uint64_t id, play_track play, actors::context<protocol>& ctx);
  void replay_segment(const frames_played& recorded);
  void take_notices(const frames_played& report, actors::context<protocol>& ctx);
  // The position now: state_'s, plus the time played since it was taken (bounded by two reports).
  std::int64_t position_now(actors::clock::time_point now) const;
  void emit(const player_notice& notice, actors::context<protocol>& ctx);

  config config_;
  std::shared_ptr<player_services> services_;
  bool replaying_;
  bool recording_;
  std::uint64_t incarnation_;
  std::shared_ptr<player_session> session_;
  std::shared_ptr<shard_member> member_;      // live
  std::shared_ptr<opened_readers> opened_;    // live: readers handed over by the opening executor
  std::map<std::uint64_t, command_fn> issued_;  // replay: commands waiting for their recorded tick
  std::uint64_t next_command_ = 1;
  // One track opens at a time; the commands received after it wait, in order, up to max_held (a
  // client sends commands at human pace; past that they are refused with a logged error).
  static constexpr std::size_t max_held = 16;
  std::optional<std::uint64_t> opening_;
  std::optional<play_track> opening_play_;
  std::deque<intent> held_;
  std::optional<std::uint64_t> destroy_command_;
  player_state state_;
  // state_.position_ms is the track's position at position_at_ (the last report, or the last
  // command that moved it); a state asked for is extrapolated from there while playing, so it is
  // current (as lavaplayer's position is) rather than up to a report old. A seek counts as done
  // as soon as it is received, until a report shows it applied.
  actors::clock::time_point position_at_{};
  std::optional<std::uint64_t> seek_command_;
  std::set<std::uint64_t> update_after_;  // commands after which a PlayerUpdate goes out at once
  std::uint64_t frames_at_update_ = 0;
};

// Registers the player's kind for replay.
void register_player_kind(actors::actor_registry& registry);

}  // namespace spence::engine
