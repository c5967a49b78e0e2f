#pragma once
// FramedContent (RFC 9420 6): what every handshake message says, before its signature and tags:
// the group and epoch it belongs to, who sent it, and its content, a Proposal or a Commit (or
// application data, which DAVE never sends over MLS: its media keys come from the exporter, so
// the group code refuses it; it is read so the vectors round-trip).
//
// Senders: a member (by leaf index) for commits, the external sender (by index into the
// external_senders extension) for the voice gateway's proposals. The new_member sender types serve
// external joins, which DAVE does not have, and read as `unsupported`.

#include "net/dave/mls/bytes.hpp"
#include "net/dave/mls/commit.hpp"
#include "net/dave/mls/mls_error.hpp"
#include "net/dave/mls/proposal.hpp"
#include "net/dave/mls/tls_reader.hpp"
#include "net/dave/mls/tls_writer.hpp"

#include <cstdint>
#include <variant>

namespace spence::net::dave::mls {

enum class sender_type : std::uint8_t { member = 1, external = 2 };

struct sender {
  sender_type type = sender_type::member;
  std::uint32_t index = 0;  // leaf index of a member; index into external_senders of an external sender

  static mls_result<sender> read(tls_reader& in);
  void write(tls_writer& out) const;
  friend bool operator==(const sender&, const sender&) = default;
};

struct application_data {
  bytes data;
  friend bool operator==(const application_data&, const application_data&) = default;
};

struct framed_content {
  bytes group_id;
  std::uint64_t epoch = 0;
  mls::sender sender;
  bytes authenticated_data;
  std::variant<application_data, proposal, mls::commit> content;

  const proposal* proposal_content() const { return std::get_if<proposal>(&content); }
  const mls::commit* commit_content() const { return std::get_if<mls::commit>(&content); }

  static mls_result<framed_content> read(tls_reader& in);
  void write(tls_writer& out) const;
  friend bool operator==(const framed_content&, const framed_content&) = default;
};

}  // namespace spence::net::dave::mls
