#pragma once
// A stack arena for the short-lived JSON values the trace builds per message, so that tracing
// does not allocate node by node. Larger values spill to the heap through the arena's upstream.

#include <boost/json/monotonic_resource.hpp>
#include <boost/json/storage_ptr.hpp>

namespace spence::actors {

class json_arena {
 public:
  json_arena() : resource_(buffer_, sizeof buffer_) {}
  json_arena(const json_arena&) = delete;
  json_arena& operator=(const json_arena&) = delete;
  // Valid while the arena lives; values built with it must not outlive it.
  boost::json::storage_ptr storage() { return boost::json::storage_ptr(&resource_); }

 private:
  alignas(16) unsigned char buffer_[2048];
  boost::json::monotonic_resource resource_;
};

}  // namespace spence::actors
