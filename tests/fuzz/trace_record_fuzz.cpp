// Fuzzes the trace record parser: any bytes must yield a record or a reason, never a crash.

#include "actors/trace_reader.hpp"

#include <cstddef>
#include <cstdint>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  auto r = spence::actors::parse_trace_record(std::string_view(reinterpret_cast<const char*>(data), size));
  if (r && r->kind == spence::actors::trace_record::type::message && r->seq == 0) __builtin_trap();
  return 0;
}
