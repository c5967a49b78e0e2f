#include "net/dave/mls/welcome.hpp"

#include "net/dave/mls/aes_gcm.hpp"
#include "net/dave/mls/encrypt_with_label.hpp"
#include "net/dave/mls/key_schedule.hpp"
#include "net/dave/mls/structure_codec.hpp"
#include "net/dave/mls/wipe.hpp"

#include <algorithm>

namespace spence::net::dave::mls {
namespace {

constexpr std::string_view welcome_label = "Welcome";

}  // namespace

mls_result<welcome> welcome::read(tls_reader& in) {
  welcome message;
  auto suite = in.u16("welcome.cipher_suite");
  if (!suite) return suite.error();
  message.cipher_suite = *suite;
  if (auto r = read_list_into(in, "welcome.secrets", message.secrets); !r) return r.error();
  if (auto r = read_opaque(in, "welcome.encrypted_group_info", message.encrypted_group_info); !r) return r.error();
  return message;
}

void welcome::write(tls_writer& out) const {
  out.u16(cipher_suite);
  write_list(out, "welcome.secrets", secrets);
  out.opaque(encrypted_group_info, "welcome.encrypted_group_info");
}

mls_result<welcome> seal_welcome(const group_info& info, bytes_view joiner_secret, bytes_view welcome_secret,
                                 std::span<const welcome_joiner> joiners) {
  auto key_nonce = welcome_key_and_nonce(welcome_secret);
  if (!key_nonce) return key_nonce.error();
  welcome message;
  auto sealed_info = aes128_gcm_seal(key_nonce->key, key_nonce->nonce, {}, encode(info));
  wipe(key_nonce->key);
  if (!sealed_info) return sealed_info.error();
  message.encrypted_group_info = *std::move(sealed_info);
  for (const auto& joiner : joiners) {
    group_secrets secrets{bytes(joiner_secret.begin(), joiner_secret.end()), joiner.path_secret, {}};
    bytes plaintext = encode(secrets);
    wipe(secrets.joiner_secret);
    if (secrets.path_secret) wipe(*secrets.path_secret);
    auto sealed = encrypt_with_label(joiner.package->init_key, welcome_label, message.encrypted_group_info, plaintext);
    wipe(plaintext);
    if (!sealed) return sealed.error();
    message.secrets.push_back({joiner.package->ref(), *std::move(sealed)});
  }
  return message;
}

mls_result<opened_welcome> open_welcome(const welcome& message, const key_package& own, bytes_view init_private_key) {
  if (message.cipher_suite != cipher_suite_dave) return make_mls_error(mls_errc::unsupported, "welcome.cipher_suite");
  const bytes ref = own.ref();
  const auto entry = std::ranges::find_if(message.secrets, [&](const auto& e) { return e.new_member == ref; });
  if (entry == message.secrets.end()) return make_mls_error(mls_errc::not_for_member, "welcome.secrets");
  auto plaintext = decrypt_with_label(init_private_key, welcome_label, message.encrypted_group_info,
                                      entry->encrypted_secrets);
  if (!plaintext) return plaintext.error();
  auto secrets = decode<group_secrets>(*plaintext);
  wipe(*plaintext);
  if (!secrets) return secrets.error();
  if (!secrets->psks.empty()) return make_mls_error(mls_errc::unsupported, "group_secrets.psks");
  auto welcome_key = welcome_secret(secrets->joiner_secret, zero_secret());
  if (!welcome_key) return welcome_key.error();
  auto key_nonce = welcome_key_and_nonce(*welcome_key);
  wipe(*welcome_key);
  if (!key_nonce) return key_nonce.error();
  auto info_bytes = aes128_gcm_open(key_nonce->key, key_nonce->nonce, {}, message.encrypted_group_info);
  wipe(key_nonce->key);
  if (!info_bytes) return mls_error{info_bytes.error().code, "welcome.encrypted_group_info"};
  auto info = decode<group_info>(*info_bytes);
  if (!info) return info.error();
  return opened_welcome{*std::move(secrets), *std::move(info)};
}

}  // namespace spence::net::dave::mls
