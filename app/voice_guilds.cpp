#include "app/voice_guilds.hpp"

#include "engine/player/player_actor.hpp"
#include "net/voice/voice_connection_actor.hpp"

#include <chrono>

namespace spence::app {

voice_guilds::voice_guilds(voice_guilds_options options)
    : runtime_({options.threads, options.trace}), seed_(options.voice.seed), udp_queue_packets_(options.udp_queue_packets) {
  auto clock = std::make_shared<actors::real_clock>();
  auto shard_options = options.shard_pool;
  if (shard_options.shards == 0) shard_options.shards = options.threads;
  shard_options.frames = engine::frame_clock(clock->now());
  shards_ = std::make_shared<engine::shard_pool>(runtime_.executor(), clock, shard_options);

  auto players = std::make_shared<engine::player_services>();
  players->shards = shards_;
  players->opening = opening_.get_executor();
  players->open = std::move(options.open);
  players->make_sink = [this](const std::string& voice_stream) { return sink(voice_stream); };
  players->media_logs = options.media_logs;
  runtime_.services().provide(players);
  auto voice = std::make_shared<net::voice_services>();
  voice->io = runtime_.executor();
  voice->sink_for = [this](const std::string& voice_stream) { return sink(voice_stream); };
  voice->options = std::move(options.voice);
  runtime_.services().provide(voice);
}

voice_guilds::~voice_guilds() { shutdown(); }

std::shared_ptr<net::voice_sink> voice_guilds::sink(const std::string& voice_stream) {
  std::lock_guard lock(mutex_);
  if (auto existing = sinks_[voice_stream].lock()) return existing;
  std::erase_if(sinks_, [](const auto& entry) { return entry.second.expired(); });
  // Each stream starts from its own sequence number and timestamp.
  auto created = std::make_shared<net::voice_sink>(seed_ + ++sinks_created_, udp_queue_packets_);
  sinks_[voice_stream] = created;
  return created;
}

void voice_guilds::shutdown() {
  if (shut_down_) return;
  shut_down_ = true;
  runtime_.shutdown(std::chrono::seconds(2));
  shards_->stop();
  opening_.join();
}

}  // namespace spence::app
