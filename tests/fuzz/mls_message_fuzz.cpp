// libFuzzer target for MLS message framing (net/dave/mls: mls_message, public_message,
// framed_content, proposal, commit, external_sender, welcome, group_info, group_secrets), what the
// voice gateway sends in ops 25, 27, 29 and 30. The first byte picks the structure; the rest is read as it. Beyond "no crash, no read
// past the input": what reads writes back byte for byte, and a public message's signature check,
// tag inputs and ProposalRef are computed on whatever was read.

#include "net/dave/mls/external_sender.hpp"
#include "net/dave/mls/mls_message.hpp"
#include "net/dave/mls/proposal.hpp"
#include "net/dave/mls/structure_codec.hpp"
#include "net/dave/mls/welcome.hpp"
#include "tests/fuzz/mls_read_back.hpp"

#include <cstdint>

namespace {

using namespace spence::net::dave::mls;
using spence::net::dave::mls::fuzz::read_back_exactly;

void exercise(const public_message& message) {
  const group_context context;
  // The fuzzer's bytes are no P-256 key: the check must refuse, never crash.
  (void)message.verify(message.content.group_id, context);
  (void)message.to_be_maced(context);
  (void)message.confirmed_transcript_hash_input();
  (void)proposal_ref(message.authenticated_content());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const bytes_view input(data + 1, size - 1);
  switch (data[0] % 5) {
    case 0: {
      std::optional<mls_message> holder;
      if (const auto* message = read_back_exactly(input, holder)) {
        if (const auto* framed = message->public_message()) exercise(*framed);
      }
      break;
    }
    case 1: {  // an op-27 append body: MLSMessages in one <V> vector
      tls_reader in(input);
      if (auto messages = read_list<mls_message>(in, "proposal_messages")) {
        for (const auto& message : *messages) {
          if (const auto* framed = message.public_message()) exercise(*framed);
        }
      }
      break;
    }
    case 2: {
      std::optional<external_sender> holder;
      if (read_back_exactly(input, holder)) (void)external_senders_of({external_senders_extension({*holder})});
      break;
    }
    case 3: {  // a bare Welcome (op 30), opened with a key package of our own: never ours, never a crash
      std::optional<welcome> holder;
      if (const auto* message = read_back_exactly(input, holder)) {
        static const auto own = create_key_package(1).value();
        (void)open_welcome(*message, own.package, own.private_keys.init_key);
      }
      break;
    }
    case 4: {
      std::optional<group_secrets> holder;
      (void)read_back_exactly(input, holder);
      break;
    }
  }
  return 0;
}
