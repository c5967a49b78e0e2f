// `spence connect`: plays one source into a Discord voice server (or the emulator) from the command
// line, through the same actors the node uses: a guild player on the tick shards and the guild's
// voice connection actor, sharing the guild's voice sink. Notices (track events, voice closes)
// are printed as JSON lines on stdout as they happen; at the end, one JSON line with what the
// player played, what the connection did, and what it heard from others (frames by user).

#include "app/commands.hpp"
#include "app/media_source.hpp"
#include "app/notice_counter.hpp"
#include "app/voice_guilds.hpp"

#include "engine/player/player_actor.hpp"
#include "net/voice/voice_connection_actor.hpp"

#include <boost/json.hpp>

#include <spdlog/spdlog.h>

#include <iostream>
#include <map>
#include <mutex>
#include <thread>

namespace spence::app {

namespace json = boost::json;
using namespace std::chrono_literals;

int run_connect(const connect_options& options) {
  auto opener = std::make_shared<source_opener>();
  voice_guilds_options setup;
  setup.threads = options.threads;
  setup.open = [opener](const std::string& source) { return opener->open(source); };
  setup.voice.seed = options.seed;
  setup.voice.tls_ca_file = options.tls_ca_file;
  // What others in the call sent, by user: frames that arrived and (with DAVE) decrypted.
  struct heard_from {
    std::uint64_t frames = 0;
    std::uint64_t bytes = 0;
  };
  auto heard = std::make_shared<std::pair<std::mutex, std::map<std::string, heard_from>>>();
  setup.voice.on_audio = [heard](const net::received_voice_frame& frame) {
    std::lock_guard lock(heard->first);
    auto& from = heard->second[frame.user_id.empty() ? std::to_string(frame.ssrc) : frame.user_id];
    ++from.frames;
    from.bytes += frame.opus.size();
  };
  voice_guilds guilds(std::move(setup));
  auto& rt = guilds.runtime();
  auto notices = std::make_shared<notice_counter>([](notice_kind, std::string_view line) { std::cout << line << std::flush; });
  rt.add_effect_sink("connect.events", notices);

  const std::string guild = options.server_id;
  auto connection = rt.spawn<net::voice_connection_actor>("/connect/guild/" + guild + "/voice",
                                                          {guild, "connect.events", {}});
  auto player = rt.spawn<engine::player_actor>("/connect/guild/" + guild + "/player",
                                               {guild, "connect.events", {}, 5000, {}});
  if (!connection || !player) {
    std::cerr << "spence connect: cannot start the guild's actors\n";
    return 1;
  }
  net::join_voice join{options.endpoint, options.user_id, options.channel_id, {options.session_id}, {options.token}};
  if (connection->try_send(std::move(join))) return 1;

  // Plays once the session is described, so the start of the source is heard.
  const auto give_up = std::chrono::steady_clock::now() + std::chrono::milliseconds(options.connect_timeout_ms);
  net::voice_state state;
  for (;;) {
    state = ask_and_wait<net::voice_state, net::get_voice_state>(rt, *connection).value_or(state);
    if (state.state == "ready" || state.state == "closed" || std::chrono::steady_clock::now() > give_up) break;
    std::this_thread::sleep_for(20ms);
  }
  int exit_code = 0;
  if (state.state != "ready") {
    std::cerr << "spence connect: no voice session (" << state.state << (state.reason.empty() ? "" : ": ")
              << state.reason << ")\n";
    exit_code = 1;
  } else {
    engine::play_track play{options.source, static_cast<std::int64_t>(options.start_seconds * 1000), std::nullopt, false};
    if (options.duration_seconds > 0)
      play.end_ms = play.start_ms + static_cast<std::int64_t>(options.duration_seconds * 1000);
    (void)player->try_send(std::move(play));
    while (notices->ended == 0 && notices->failed == 0) {
      std::this_thread::sleep_for(20ms);
      state = ask_and_wait<net::voice_state, net::get_voice_state>(rt, *connection).value_or(state);
      if (state.state == "closed") break;
    }
    // The five silence frames that end the stream leave over the next 100 ms.
    std::this_thread::sleep_for(200ms);
    if (notices->failed > 0 || state.state == "closed") exit_code = 1;
  }
  const auto played = ask_and_wait<engine::player_state, engine::get_player_state>(rt, *player);
  (void)connection->try_send(net::leave_voice{});
  std::this_thread::sleep_for(100ms);
  json::object summary{{"voice", json::value_from(state)}, {"sink", guilds.sink(guild)->stats()}};
  if (played) summary["player"] = json::value_from(*played);
  json::object received;
  {
    std::lock_guard lock(heard->first);
    for (const auto& [user, from] : heard->second) received[user] = {{"frames", from.frames}, {"bytes", from.bytes}};
  }
  summary["received"] = std::move(received);
  std::cout << json::serialize(summary) << "\n";
  guilds.shutdown();
  return exit_code;
}

}  // namespace spence::app
