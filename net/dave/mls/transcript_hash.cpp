#include "net/dave/mls/transcript_hash.hpp"

#include "net/dave/mls/hash.hpp"
#include "net/dave/mls/tls_writer.hpp"

namespace spence::net::dave::mls {

bytes confirmed_transcript_hash(bytes_view interim_transcript_hash_before, bytes_view confirmed_transcript_hash_input) {
  bytes input(interim_transcript_hash_before.begin(), interim_transcript_hash_before.end());
  input.insert(input.end(), confirmed_transcript_hash_input.begin(), confirmed_transcript_hash_input.end());
  return sha256(input);
}

bytes interim_transcript_hash(bytes_view confirmed_transcript_hash, bytes_view confirmation_tag) {
  tls_writer input;
  input.fixed(confirmed_transcript_hash);
  input.opaque(confirmation_tag, "confirmation_tag");
  // A MAC is 32 bytes, far below a <V> vector's limit.
  return sha256(std::move(input).finish().value());
}

}  // namespace spence::net::dave::mls
