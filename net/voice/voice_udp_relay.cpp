#include "net/voice/voice_udp_relay.hpp"

#include "net/voice/ip_discovery.hpp"
#include "net/voice/rtp_receive.hpp"
#include "net/voice/voice_error.hpp"

#include <boost/asio/steady_timer.hpp>

#include <sys/socket.h>


namespace spence::net {

namespace asio = boost::asio;
using udp = asio::ip::udp;

namespace {
constexpr std::size_t keepalive_bytes = 8;  // discord.js's UDP keepalive, which Discord echoes
}

voice_udp_relay::voice_udp_relay(const asio::any_io_executor& executor, const udp::endpoint& local,
                                 std::optional<std::filesystem::path> ogg_dir, bool decode_audio)
    : socket_(executor, local), checker_(std::move(ogg_dir), decode_audio) {
  // Thousands of streams send their frames in bursts (each tick shard sends all its players' at
  // once): a large receive buffer holds a burst while the one thread works through it. The kernel
  // caps it at net.core.rmem_max, unless the process may exceed that (SO_RCVBUFFORCE, root).
  constexpr int burst_bytes = 32 << 20;
  boost::system::error_code ignored;
  socket_.set_option(asio::socket_base::receive_buffer_size(burst_bytes), ignored);
  ::setsockopt(socket_.native_handle(), SOL_SOCKET, SO_RCVBUFFORCE, &burst_bytes, sizeof burst_bytes);
  socket_.non_blocking(true);
}

voice_udp_relay::~voice_udp_relay() = default;

udp::endpoint voice_udp_relay::local_endpoint() const { return socket_.local_endpoint(); }

void voice_udp_relay::start() { receive(); }

void voice_udp_relay::stop() {
  boost::system::error_code ec;
  socket_.close(ec);
}

void voice_udp_relay::expect_participant(std::uint32_t ssrc) {
  std::lock_guard lock(mutex_);
  peers_[ssrc].participant.ssrc = ssrc;
}

void voice_udp_relay::add_participant(const relay_participant& participant) {
  std::lock_guard lock(mutex_);
  auto& p = peers_[participant.ssrc];
  if (p.cipher) groups_[p.participant.group].erase(participant.ssrc);  // a rekey may move it
  p.participant = participant;
  p.cipher = std::make_unique<transport_cipher>(participant.mode, participant.key);
  groups_[participant.group].insert(participant.ssrc);
}

void voice_udp_relay::remove_participant(std::uint32_t ssrc) {
  std::lock_guard lock(mutex_);
  auto it = peers_.find(ssrc);
  if (it == peers_.end()) return;
  if (auto group = groups_.find(it->second.participant.group); group != groups_.end()) {
    group->second.erase(ssrc);
    if (group->second.empty()) groups_.erase(group);
  }
  peers_.erase(it);
}

void voice_udp_relay::set_faults(const relay_faults& faults) {
  std::lock_guard lock(mutex_);
  faults_ = faults;
}

void voice_udp_relay::receive() {
  // Waits for the socket to be readable, then reads every datagram waiting: one wake-up per burst
  // rather than one per packet.
  socket_.async_wait(udp::socket::wait_read, [self = shared_from_this()](boost::system::error_code ec) {
    if (ec == asio::error::operation_aborted || !self->socket_.is_open()) return;
    for (;;) {
      boost::system::error_code read_error;
      const auto n = self->socket_.receive_from(asio::buffer(self->buffer_), self->sender_, 0, read_error);
      if (read_error == asio::error::would_block || read_error == asio::error::try_again) break;
      if (!read_error) self->on_datagram(std::span(self->buffer_).first(n), self->sender_);
      else if (!self->socket_.is_open()) return;
    }
    self->receive();
  });
}

void voice_udp_relay::drop(std::string_view reason) {
  auto it = dropped_.find(reason);
  if (it == dropped_.end()) it = dropped_.emplace(std::string(reason), 0).first;
  ++it->second;
}

void voice_udp_relay::on_datagram(std::span<const std::uint8_t> datagram, const udp::endpoint& from) {
  std::lock_guard lock(mutex_);
  ++datagrams_;
  boost::system::error_code ignored;
  if (datagram.size() == ip_discovery_bytes) {
    auto ssrc = parse_ip_discovery_request(datagram);
    if (!ssrc) return drop("malformed ip discovery");
    auto it = peers_.find(*ssrc);
    if (it == peers_.end()) return drop("unknown ssrc");
    it->second.address = from;
    const auto reply = ip_discovery_response({*ssrc, from.address().to_string(), from.port()});
    socket_.send_to(asio::buffer(reply), from, 0, ignored);
    return;
  }
  if (datagram.size() == keepalive_bytes) {
    socket_.send_to(asio::buffer(datagram.data(), datagram.size()), from, 0, ignored);
    return;
  }
  if (is_rtcp(datagram)) return drop("rtcp");
  auto packet = parse_rtp(datagram);
  if (!packet) return drop(drop_reason(packet.error()));
  auto it = peers_.find(packet->header.ssrc);
  if (it == peers_.end()) return drop("unknown ssrc");
  if (!it->second.cipher) return drop("no key yet");
  if (faults_.loss > 0 && std::uniform_real_distribution<double>(0, 1)(loss_random_) < faults_.loss)
    return drop("injected loss");
  auto payload = open_rtp_payload(*packet, datagram, *it->second.cipher, plaintext_);
  if (!payload) return drop(drop_reason(payload.error()));
  checker_.add(packet->header, *payload, it->second.participant.end_to_end_encrypted, stream_checker::clock::now());
  forward(packet->authenticated, plaintext_, it->second);
}

void voice_udp_relay::forward(std::span<const std::uint8_t> header, std::span<const std::uint8_t> payload,
                              const peer& from) {
  boost::system::error_code ignored;
  const auto group = groups_.find(from.participant.group);
  if (group == groups_.end()) return;
  for (const std::uint32_t ssrc : group->second) {
    auto& peer = peers_.at(ssrc);
    if (ssrc == from.participant.ssrc || !peer.address || !peer.cipher) continue;
    peer.cipher->seal(header, payload, ++peer.nonce, outgoing_);
    ++forwarded_;
    if (faults_.delay.count() == 0) {
      socket_.send_to(asio::buffer(outgoing_), *peer.address, 0, ignored);
      if (faults_.duplicate > 0 && std::uniform_real_distribution<double>(0, 1)(loss_random_) < faults_.duplicate)
        socket_.send_to(asio::buffer(outgoing_), *peer.address, 0, ignored);
      continue;
    }
    auto timer = std::make_shared<asio::steady_timer>(socket_.get_executor(), faults_.delay);
    timer->async_wait([self = shared_from_this(), timer, bytes = outgoing_, to = *peer.address](boost::system::error_code ec) {
      if (ec || !self->socket_.is_open()) return;
      boost::system::error_code ignored_send;
      self->socket_.send_to(asio::buffer(bytes), to, 0, ignored_send);
    });
  }
}

std::vector<stream_stats> voice_udp_relay::streams() const {
  std::lock_guard lock(mutex_);
  return checker_.stats();
}

void voice_udp_relay::finish() {
  std::lock_guard lock(mutex_);
  checker_.finish();
}

boost::json::object voice_udp_relay::stats() const {
  std::lock_guard lock(mutex_);
  boost::json::object dropped;
  for (const auto& [reason, n] : dropped_) dropped[reason] = n;
  boost::json::array streams;
  const auto ms = [](auto d) { return std::chrono::duration<double, std::milli>(d).count(); };
  for (const auto& s : checker_.stats()) {
    streams.push_back(boost::json::object{
        {"ssrc", s.ssrc}, {"packets", s.packets}, {"lost", s.lost}, {"duplicates", s.duplicates}, {"late", s.late},
        {"timestamp_jumps", s.timestamp_jumps}, {"decode_errors", s.decode_errors},
        {"silence_frames", s.silence_frames}, {"end_to_end_encrypted", s.end_to_end_encrypted}, {"jitter_ms", s.jitter_ms},
        {"spacing_error_ms", {{"p50", ms(s.spacing_error.p50)}, {"p99", ms(s.spacing_error.p99)},
                              {"max", ms(s.spacing_error.max)}}}});
  }
  return {{"participants", peers_.size()}, {"datagrams", datagrams_}, {"forwarded", forwarded_},
          {"dropped", dropped}, {"streams", streams}};
}

}  // namespace spence::net
