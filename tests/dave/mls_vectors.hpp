#pragma once
// The MLS working group's interoperability vectors (mlswg/mls-implementations test-vectors/, kept
// in ../shared/test-vectors/mls, filtered to cipher suite 2): loading a file, hex fields, the captured
// DAVE payloads, the line each vector test prints so the test log says how many vectors ran and which were skipped, and
// the error of a result expected to fail.

#include "net/dave/mls/bytes.hpp"
#include "net/dave/mls/mls_error.hpp"

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <string_view>

namespace spence::net::dave::mls::test {

// A missing or unreadable file fails the test (vectors are part of the checkout's shared data).
inline boost::json::value load_vectors(std::string_view file) {
  const std::string path = std::string(SPENCE_MLS_VECTORS) + "/" + std::string(file);
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    ADD_FAILURE() << "cannot open " << path;
    return nullptr;
  }
  std::ostringstream text;
  text << in.rdbuf();
  boost::system::error_code ec;
  auto value = boost::json::parse(text.str(), ec);
  if (ec) ADD_FAILURE() << path << ": " << ec.message();
  return value;
}

inline bytes from_hex(std::string_view hex) {
  auto nibble = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  bytes out;
  if (hex.size() % 2 != 0) {
    ADD_FAILURE() << "odd-length hex";
    return out;
  }
  for (std::size_t i = 0; i < hex.size(); i += 2) {
    const int high = nibble(hex[i]);
    const int low = nibble(hex[i + 1]);
    if (high < 0 || low < 0) {
      ADD_FAILURE() << "not hex: " << hex;
      return out;
    }
    out.push_back(static_cast<std::uint8_t>(high << 4 | low));
  }
  return out;
}

inline std::string to_hex(bytes_view data) {
  static constexpr char digits[] = "0123456789abcdef";
  std::string out;
  for (auto b : data) {
    out.push_back(digits[b >> 4]);
    out.push_back(digits[b & 15]);
  }
  return out;
}

inline bytes hex_field(const boost::json::value& object, std::string_view key) {
  return from_hex(object.at(key).as_string());
}

// Line `number` (from 1) of the captured DAVE gateway payloads (../shared/test-vectors/dave), as
// bytes: 1 the op-25 external sender, 2 an op-27 append body, 3 an op-27 revoke body.
inline bytes captured_payload(int number) {
  const std::string path = std::string(SPENCE_MLS_VECTORS) + "/../dave/captured-gateway-payloads.hex";
  std::ifstream in(path);
  std::string line;
  for (int i = 0; i < number && std::getline(in, line); ++i) {
  }
  if (line.empty()) ADD_FAILURE() << "no line " << number << " in " << path;
  return from_hex(line);
}

// The error of a result that must have failed (a success fails the test and gives no error).
template <typename T>
mls_error error_in(const mls_result<T>& result) {
  EXPECT_FALSE(result);
  return result ? mls_error{} : result.error();
}

// "[ vectors ] crypto-basics.json sign_with_label: 1 ran" (plus "skipped: <what> (<why>)").
inline void report_vectors(std::string_view what, int ran, std::string_view skipped = {}) {
  std::cout << "[ vectors  ] " << what << ": " << ran << " ran";
  if (!skipped.empty()) std::cout << "; skipped: " << skipped;
  std::cout << '\n';
}

}  // namespace spence::net::dave::mls::test
