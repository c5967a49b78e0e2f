#pragma once
// Opens what a user names on the command line (a path, or an http(s) URL) as engine media, with
// whatever must outlive the media (the HTTP client and its I/O thread).

#include "engine/media_open.hpp"

#include <memory>
#include <string>

namespace spence::app {

struct open_source {
  std::shared_ptr<void> keep_alive;  // owned transport state; outlives the media taken from here
  engine::opened_media media;
};

// Throws engine::media_error when the source cannot be opened or read.
open_source open_media_source(const std::string& source);

}  // namespace spence::app
