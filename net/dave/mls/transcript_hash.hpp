#pragma once
// MLS's transcript hashes (RFC 9420 8.2): each epoch's GroupContext carries a hash chaining every
// commit so far, so members that agree on it agree on the whole history. Pure functions over
// serialized inputs; the framing code supplies the bytes:
//
//   confirmed_transcript_hash[n] = Hash(interim_transcript_hash[n-1] || ConfirmedTranscriptHashInput[n])
//     ConfirmedTranscriptHashInput = wire_format || FramedContent (a commit) || signature<V>:
//     the commit's AuthenticatedContent without its confirmation_tag
//   interim_transcript_hash[n] = Hash(confirmed_transcript_hash[n] || InterimTranscriptHashInput[n])
//     InterimTranscriptHashInput = confirmation_tag<V>
//
// Both start as the empty string at epoch 0 (a new group). The confirmation tag between them is
// key_schedule::confirmation_tag of the new epoch over the new confirmed hash.

#include "net/dave/mls/bytes.hpp"

namespace spence::net::dave::mls {

bytes confirmed_transcript_hash(bytes_view interim_transcript_hash_before, bytes_view confirmed_transcript_hash_input);
bytes interim_transcript_hash(bytes_view confirmed_transcript_hash, bytes_view confirmation_tag);

}  // namespace spence::net::dave::mls
