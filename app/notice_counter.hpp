#pragma once
// The effect sink the commands and benchmarks give their guilds' actors: it counts the notices by
// type (they arrive as JSON lines, one per write, from many strands) so a command knows when a
// track started, ended or failed, or Discord closed a voice connection, and hands each line to an
// optional observer (to print it), one at a time.

#include "actors/effect.hpp"

#include <atomic>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string_view>

namespace spence::app {

enum class notice_kind { track_start, track_end, track_exception, voice_closed, other };

// What a notice line is, by its "type".
notice_kind kind_of_notice(std::string_view line) noexcept;

class notice_counter final : public actors::effect_sink {
 public:
  using observer = std::function<void(notice_kind, std::string_view line)>;
  explicit notice_counter(observer on_notice = {}) : on_notice_(std::move(on_notice)) {}

  void write(std::span<const std::byte> bytes) override;

  std::atomic<std::uint64_t> started{0}, ended{0}, failed{0}, closed{0};

 private:
  observer on_notice_;
  std::mutex mutex_;  // observers see one line at a time
};

}  // namespace spence::app
