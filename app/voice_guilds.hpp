#pragma once
// What a process needs to run guilds that play into Discord voice: the actor runtime, tick shards
// on it, an executor for opening tracks, and the services players and voice connection actors
// look up, wired so that each guild's player and voice connection share that guild's voice sink.
// `spence connect`, `spence demo` and `spence bench voice` run on it (and the node will).

#include "actors/actor.hpp"
#include "actors/reply.hpp"
#include "engine/byte_source.hpp"
#include "engine/player/shard_pool.hpp"
#include "net/voice/voice_connection.hpp"
#include "net/voice/voice_sink.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/use_future.hpp>

#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

namespace spence::app {

struct voice_guilds_options {
  unsigned threads = 0;  // workers and shards; 0: one per core
  // The tick shards; their count 0: one per thread. Their frame clock starts at construction.
  engine::shard_pool_options shard_pool;
  actors::trace_sink* trace = nullptr;
  std::filesystem::path media_logs;  // where players log media reads while tracing
  // Opens what a play_track names; may block (it runs on the opening executor).
  std::function<std::unique_ptr<engine::byte_source>(const std::string&)> open;
  net::voice_connection_options voice;
  std::size_t udp_queue_packets = engine::packet_queue::max_capacity;  // each guild's sink's queue
};

class voice_guilds {
 public:
  explicit voice_guilds(voice_guilds_options options);
  ~voice_guilds();  // shutdown() if not done

  actors::runtime& runtime() noexcept { return runtime_; }
  engine::shard_pool& shards() noexcept { return *shards_; }
  // The voice stream's sink (a guild's, unless its actors name another stream), created on first
  // use and kept while its player or voice connection holds it. Any thread.
  std::shared_ptr<net::voice_sink> sink(const std::string& voice_stream);
  // Stops the actors, then the shards and the opening executor. Idempotent.
  void shutdown();

 private:
  actors::runtime runtime_;
  std::shared_ptr<engine::shard_pool> shards_;
  boost::asio::thread_pool opening_{1};
  std::uint32_t seed_;
  std::size_t udp_queue_packets_;
  std::mutex mutex_;
  std::uint32_t sinks_created_ = 0;
  // Weak: a stream's sink goes with its actors, so a node's streams come and go without piling up.
  std::map<std::string, std::weak_ptr<net::voice_sink>> sinks_;
  bool shut_down_ = false;
};

// Asks `target` from outside the runtime (a command's main thread) and waits for the answer;
// nullopt when none comes within `timeout`.
template <class Reply, class Request, class Protocol>
std::optional<Reply> ask_and_wait(actors::runtime& rt, const actors::actor_ref<Protocol>& target,
                                  std::chrono::milliseconds timeout = std::chrono::seconds(5)) {
  return boost::asio::co_spawn(
             rt.executor(),
             [&]() -> boost::asio::awaitable<std::optional<Reply>> {
               auto r = co_await actors::ask<Reply>(target, [](actors::reply_to<Reply> to) { return Request{to}; }, timeout);
               co_return r ? std::optional<Reply>(*r) : std::nullopt;
             },
             boost::asio::use_future)
      .get();
}

}  // namespace spence::app
