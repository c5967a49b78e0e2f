#include "net/dave/mls/leaf_node.hpp"

#include "net/dave/mls/protocol_constants.hpp"
#include "net/dave/mls/signature.hpp"
#include "net/dave/mls/structure_codec.hpp"

#include <algorithm>

namespace spence::net::dave::mls {
namespace {

bool lists(const std::vector<std::uint16_t>& values, std::uint16_t value) {
  return std::find(values.begin(), values.end(), value) != values.end();
}

}  // namespace

void leaf_node::write_content(tls_writer& out) const {
  out.opaque(encryption_key, "leaf_node.encryption_key");
  out.opaque(signature_key, "leaf_node.signature_key");
  credential.write(out);
  capabilities.write(out);
  out.u8(static_cast<std::uint8_t>(source));
  if (source == leaf_node_source::key_package) {
    out.u64(lifetime.not_before);
    out.u64(lifetime.not_after);
  } else if (source == leaf_node_source::commit) {
    out.opaque(parent_hash, "leaf_node.parent_hash");
  }
  write_list(out, "leaf_node.extensions", extensions);
}

bytes leaf_node::to_be_signed(const leaf_node_context& context) const {
  tls_writer out;
  write_content(out);
  if (source != leaf_node_source::key_package) {
    out.opaque(context.group_id, "group_id");
    out.u32(context.leaf.value);
  }
  return std::move(out).finish().value();
}

mls_result<void> leaf_node::sign(bytes_view signature_private_key, const leaf_node_context& context) {
  auto signed_value = sign_with_label(signature_private_key, "LeafNodeTBS", to_be_signed(context));
  if (!signed_value) return signed_value.error();
  signature = *std::move(signed_value);
  return {};
}

mls_result<void> leaf_node::validate(const leaf_node_context& context) const {
  auto verified = verify_with_label(signature_key, "LeafNodeTBS", to_be_signed(context), signature);
  if (!verified) return mls_error{verified.error().code, "leaf_node.signature_key"};
  if (!*verified) return make_mls_error(mls_errc::bad_signature, "leaf_node.signature");
  if (!lists(capabilities.credentials, credential_type_basic)) {
    return make_mls_error(mls_errc::invalid_leaf_node, "leaf_node.capabilities.credentials");
  }
  for (const auto& carried : extensions) {
    if (carried.extension_type > last_default_extension_type && !lists(capabilities.extensions, carried.extension_type)) {
      return make_mls_error(mls_errc::invalid_leaf_node, "leaf_node.capabilities.extensions");
    }
  }
  return {};
}

mls_result<leaf_node> leaf_node::read(tls_reader& in) {
  leaf_node leaf;
  if (auto r = read_opaque(in, "leaf_node.encryption_key", leaf.encryption_key); !r) return r.error();
  if (auto r = read_opaque(in, "leaf_node.signature_key", leaf.signature_key); !r) return r.error();
  if (auto r = read_into(in, leaf.credential); !r) return r.error();
  if (auto r = read_into(in, leaf.capabilities); !r) return r.error();
  auto source = in.u8("leaf_node.leaf_node_source");
  if (!source) return source.error();
  switch (*source) {
    case static_cast<std::uint8_t>(leaf_node_source::key_package): {
      auto not_before = in.u64("leaf_node.lifetime.not_before");
      if (!not_before) return not_before.error();
      auto not_after = in.u64("leaf_node.lifetime.not_after");
      if (!not_after) return not_after.error();
      leaf.lifetime = {*not_before, *not_after};
      break;
    }
    case static_cast<std::uint8_t>(leaf_node_source::update): break;
    case static_cast<std::uint8_t>(leaf_node_source::commit):
      if (auto r = read_opaque(in, "leaf_node.parent_hash", leaf.parent_hash); !r) return r.error();
      break;
    default: return make_mls_error(mls_errc::unknown_value, "leaf_node.leaf_node_source");
  }
  leaf.source = static_cast<leaf_node_source>(*source);
  if (auto r = read_list_into(in, "leaf_node.extensions", leaf.extensions); !r) return r.error();
  if (auto r = read_opaque(in, "leaf_node.signature", leaf.signature); !r) return r.error();
  return leaf;
}

void leaf_node::write(tls_writer& out) const {
  write_content(out);
  out.opaque(signature, "leaf_node.signature");
}

}  // namespace spence::net::dave::mls
