#pragma once
// The node's tracks: what /v4/loadtracks finds for an identifier, and how a player opens a track
// it is given in lavaplayer's encoded form. The sources are Lavalink's "http" (http(s) URLs) and
// "local" (files on this machine, off by default), each on or off by configuration. Anything else
// (searches, platform URLs) is not served yet: Lavalink's `empty`, as a Lavalink without that
// source manager answers.
//
// Loading reads the start of the media (and, for files, what the container says of its length):
// a track the node offers is one spence can play. Titles come from nowhere yet ("Unknown title",
// lavaplayer's own default for media without tags).

#include "app/media_source.hpp"
#include "net/lavalink/lavalink_node.hpp"

#include <memory>
#include <string>
#include <vector>

namespace spence::app {

struct node_sources {
  bool http = true;
  bool local = false;
};

class node_tracks {
 public:
  explicit node_tracks(node_sources sources, net::http_options http = {});

  // Blocking: reads the media's start.
  net::lavalink::load_result load(const std::string& identifier) const;
  // Opens an encoded track for a player. Throws engine::media_error when it does not decode, its
  // source is off or unknown, or it cannot be opened.
  std::unique_ptr<engine::byte_source> open(const std::string& encoded) const;
  // /v4/info's sourceManagers.
  std::vector<std::string> source_managers() const;

 private:
  // "http", "local", or empty when no enabled source serves `identifier`.
  std::string source_of(const std::string& identifier) const;

  node_sources sources_;
  std::shared_ptr<source_opener> opener_;
};

}  // namespace spence::app
