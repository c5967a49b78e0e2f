#include "app/media_source.hpp"

#include "engine/file_source.hpp"
#include "net/http/http_client_thread.hpp"
#include "net/http/http_media_open.hpp"
#include "net/http/reopening_source.hpp"

namespace spence::app {

source_opener::source_opener(net::http_options http) : http_options_(std::move(http)) {}
source_opener::~source_opener() = default;

std::unique_ptr<engine::byte_source> source_opener::open(const std::string& source) {
  if (!source.starts_with("http://") && !source.starts_with("https://"))
    return std::make_unique<engine::file_source>(source);
  return net::open_http_media(http_.client(), source, http_options_);
}

std::unique_ptr<engine::byte_source> source_opener::open_located(stream_locator locate) {
  auto first = open(locate());
  return std::make_unique<net::reopening_source>(std::move(first), [this, locate = std::move(locate)] {
    return open(locate());
  });
}

open_source open_media_source(const std::string& source) {
  auto opener = std::make_shared<source_opener>();
  open_source opened;
  opened.media = engine::open_media(opener->open(source));
  opened.keep_alive = std::move(opener);
  return opened;
}

}  // namespace spence::app
