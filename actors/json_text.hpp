#pragma once
// Appending JSON text to a buffer without intermediate strings: the trace writes several records
// per message, so it formats into reused buffers.

#include <boost/json/value.hpp>

#include <string>
#include <string_view>

namespace spence::actors {

// Appends `s` as a JSON string literal (quoted, escaped).
void append_json_string(std::string& out, std::string_view s);
// Appends the serialized `v`.
void append_json(std::string& out, const boost::json::value& v);

}  // namespace spence::actors
