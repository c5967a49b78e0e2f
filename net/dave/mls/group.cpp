#include "net/dave/mls/group.hpp"

#include "net/dave/mls/external_sender.hpp"
#include "net/dave/mls/structure_codec.hpp"
#include "net/dave/mls/transcript_hash.hpp"

#include <algorithm>

namespace spence::net::dave::mls {

group::group(group_context context, ratchet_tree tree, tree_private_state own, bytes signature_private_key,
             key_schedule schedule, bytes interim_transcript_hash)
    : context_(std::move(context)),
      tree_(std::move(tree)),
      own_(std::move(own)),
      signature_private_key_(std::move(signature_private_key)),
      schedule_(std::move(schedule)),
      interim_transcript_hash_(std::move(interim_transcript_hash)) {}

mls_result<group> group::create(bytes group_id, leaf_node own_leaf, bytes encryption_private_key,
                                bytes signature_private_key, extension_list extensions) {
  if (auto senders = external_senders_of(extensions); !senders) return senders.error();
  group_context context;
  context.group_id = std::move(group_id);
  context.extensions = std::move(extensions);
  ratchet_tree tree(std::move(own_leaf));
  context.tree_hash = tree.tree_hash();
  tree_private_state own(leaf_index{0}, std::move(encryption_private_key));
  if (auto r = own.check_against(tree); !r) return r.error();
  // Epoch 0 has a random init_secret, no commit secret and empty transcript hashes (RFC 9420 11).
  auto schedule = key_schedule::from_init_secret(random_secret(), zero_secret(), zero_secret(), encode(context));
  if (!schedule) return schedule.error();
  return group(std::move(context), std::move(tree), std::move(own), std::move(signature_private_key),
               *std::move(schedule), bytes{});
}

mls_result<void> group::verify_sender(const public_message& message) const {
  const auto& content = message.content;
  if (content.group_id != context_.group_id) return make_mls_error(mls_errc::wrong_group, "framed_content.group_id");
  if (content.epoch != context_.epoch) return make_mls_error(mls_errc::wrong_epoch, "framed_content.epoch");
  if (content.sender.type == sender_type::external) {
    auto senders = external_senders_of(context_.extensions);
    if (!senders) return senders.error();
    if (content.sender.index >= senders->size()) return make_mls_error(mls_errc::invalid_proposal, "sender.index");
    return message.verify((*senders)[content.sender.index].signature_key, context_);
  }
  const leaf_node* sender_leaf = tree_.leaf(leaf_index{content.sender.index});
  if (!sender_leaf) return make_mls_error(mls_errc::invalid_commit, "sender.index");
  if (!message.membership_tag ||
      !mac_equal(schedule_.membership_tag(message.to_be_maced(context_)), *message.membership_tag)) {
    return make_mls_error(mls_errc::bad_tag, "public_message.membership_tag");
  }
  return message.verify(sender_leaf->signature_key, context_);
}

mls_result<bytes> group::receive_proposal(const public_message& message) {
  const proposal* content = message.content.proposal_content();
  if (!content) return make_mls_error(mls_errc::invalid_proposal, "framed_content.content_type");
  if (auto r = verify_sender(message); !r) return r.error();
  bytes ref = proposal_ref(message.authenticated_content());
  const bool queued = std::any_of(queued_.begin(), queued_.end(), [&](const auto& q) { return q.ref == ref; });
  if (!queued) queued_.push_back({ref, *content, message.content.sender});
  return ref;
}

bool group::revoke_proposal(bytes_view ref) {
  return std::erase_if(queued_, [&](const auto& q) { return std::ranges::equal(q.ref, ref); }) > 0;
}

bytes group::enter_next_epoch(group& next, group_context provisional, const public_message& message,
                              bytes_view commit_secret) const {
  provisional.confirmed_transcript_hash =
      confirmed_transcript_hash(interim_transcript_hash_, message.confirmed_transcript_hash_input());
  // Every input is a 32-byte secret or an encoding built here: the schedule cannot refuse them.
  next.schedule_ =
      key_schedule::from_init_secret(schedule_.init_secret(), commit_secret, zero_secret(), encode(provisional)).value();
  bytes tag = next.schedule_.confirmation_tag(provisional.confirmed_transcript_hash);
  next.interim_transcript_hash_ = interim_transcript_hash(provisional.confirmed_transcript_hash, tag);
  next.context_ = std::move(provisional);
  next.queued_.clear();
  return tag;
}

}  // namespace spence::net::dave::mls
