#pragma once
// Lavalink's "http" and "local" sources: the identifier is where the media is (an http(s) URL, a
// file's path), and the track is what spence finds when it opens it and reads its start (the
// container and codec, and the length when the container states it). A track offered is one
// spence can play. An Icecast stream's title is its StreamTitle when one arrived while probing,
// else its icy-name; other titles come from nowhere yet ("Unknown title", lavaplayer's own default
// for media without tags). What opening refuses (a web page, "Unknown file format.", HLS that is
// encrypted, ...) is an `error` result with that message. A path that names no file is `empty`,
// as in Lavalink.

#include "engine/byte_source.hpp"
#include "resolvers/platform_resolver.hpp"

#include <functional>
#include <memory>
#include <string>

namespace spence::resolvers {

class probed_media_resolver final : public platform_resolver {
 public:
  // Opens a URL or a path (blocking); throws engine::media_error.
  using opener = std::function<std::unique_ptr<engine::byte_source>(const std::string& where)>;

  // `where`: platform::http or platform::local.
  probed_media_resolver(platform where, opener open);

  net::lavalink::load_result load(const identifier_route& route) override;

 private:
  platform where_;
  opener open_;
};

}  // namespace spence::resolvers
