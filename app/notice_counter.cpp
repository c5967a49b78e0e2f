#include "app/notice_counter.hpp"

namespace spence::app {

notice_kind kind_of_notice(std::string_view line) noexcept {
  const auto has = [&](std::string_view type) { return line.find(type) != std::string_view::npos; };
  if (has("\"TrackStartEvent\"")) return notice_kind::track_start;
  if (has("\"TrackEndEvent\"")) return notice_kind::track_end;
  if (has("\"TrackExceptionEvent\"")) return notice_kind::track_exception;
  if (has("\"WebSocketClosedEvent\"")) return notice_kind::voice_closed;
  return notice_kind::other;
}

void notice_counter::write(std::span<const std::byte> bytes) {
  const std::string_view line(reinterpret_cast<const char*>(bytes.data()), bytes.size());
  const auto kind = kind_of_notice(line);
  switch (kind) {
    case notice_kind::track_start: started.fetch_add(1, std::memory_order_relaxed); break;
    case notice_kind::track_end: ended.fetch_add(1, std::memory_order_relaxed); break;
    case notice_kind::track_exception: failed.fetch_add(1, std::memory_order_relaxed); break;
    case notice_kind::voice_closed: closed.fetch_add(1, std::memory_order_relaxed); break;
    case notice_kind::other: break;
  }
  if (!on_notice_) return;
  std::lock_guard lock(mutex_);
  on_notice_(kind, line);
}

}  // namespace spence::app
