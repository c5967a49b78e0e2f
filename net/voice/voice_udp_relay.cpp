#include "net/voice/voice_udp_relay.hpp"

#include "net/voice/ip_discovery.hpp"
#include "net/voice/rtp_receive.hpp"
#include "net/voice/voice_error.hpp"

#include <boost/asio/steady_timer.hpp>
#include <boost/system/system_error.hpp>

#include <poll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>

namespace spence::net {

namespace asio = boost::asio;
using udp = asio::ip::udp;

namespace {

constexpr std::size_t keepalive_bytes = 8;  // discord.js's UDP keepalive, which Discord echoes
constexpr std::size_t batch_datagrams = 64;
constexpr std::size_t max_datagram_bytes = 2048;
// While traffic flows, the thread reads this often: a sender pays no wake-up for the datagrams
// that arrive in between, and a burst of thousands of streams is read in a few batches.
constexpr auto read_interval = std::chrono::milliseconds(1);
// How long an idle wait lasts before the thread looks at stopping_ again (stop() also wakes it).
constexpr int idle_wait_ms = 100;

[[noreturn]] void throw_errno(const char* what) {
  throw boost::system::system_error(errno, boost::system::system_category(), what);
}

}  // namespace

// recvmmsg's arrays, one slot per datagram of a batch.
struct voice_udp_relay::batch {
  std::array<mmsghdr, batch_datagrams> messages{};
  std::array<iovec, batch_datagrams> vectors{};
  std::array<std::array<std::uint8_t, max_datagram_bytes>, batch_datagrams> buffers{};
  std::array<sockaddr_storage, batch_datagrams> senders{};
  std::array<std::array<char, CMSG_SPACE(sizeof(timespec))>, batch_datagrams> controls{};

  // Readies every slot for the next recvmmsg (the kernel rewrites the lengths).
  void reset() {
    for (std::size_t i = 0; i < batch_datagrams; ++i) {
      vectors[i] = {buffers[i].data(), buffers[i].size()};
      messages[i].msg_hdr = {};
      messages[i].msg_hdr.msg_name = &senders[i];
      messages[i].msg_hdr.msg_namelen = sizeof(sockaddr_storage);
      messages[i].msg_hdr.msg_iov = &vectors[i];
      messages[i].msg_hdr.msg_iovlen = 1;
      messages[i].msg_hdr.msg_control = controls[i].data();
      messages[i].msg_hdr.msg_controllen = controls[i].size();
    }
  }

  // When datagram i arrived, on the checker's clock: its kernel timestamp (CLOCK_REALTIME) moved
  // by `realtime_to_steady`; `fallback` when it carries none.
  stream_checker::clock::time_point arrival(std::size_t i, std::chrono::nanoseconds realtime_to_steady,
                                            stream_checker::clock::time_point fallback) {
    for (cmsghdr* c = CMSG_FIRSTHDR(&messages[i].msg_hdr); c; c = CMSG_NXTHDR(&messages[i].msg_hdr, c)) {
      if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_TIMESTAMPNS) continue;
      timespec ts{};
      std::memcpy(&ts, CMSG_DATA(c), sizeof ts);
      const auto realtime = std::chrono::seconds(ts.tv_sec) + std::chrono::nanoseconds(ts.tv_nsec);
      return stream_checker::clock::time_point(
          std::chrono::duration_cast<stream_checker::clock::duration>(realtime + realtime_to_steady));
    }
    return fallback;
  }
};

voice_udp_relay::voice_udp_relay(const asio::any_io_executor& executor, const udp::endpoint& local,
                                 std::optional<std::filesystem::path> ogg_dir, bool decode_audio)
    : executor_(executor), batch_(std::make_unique<batch>()), checker_(std::move(ogg_dir), decode_audio) {
  socket_ = ::socket(local.protocol().family(), SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (socket_ < 0) throw_errno("opening the relay's UDP socket");
  wake_ = ::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  if (wake_ < 0) {
    ::close(socket_);
    throw_errno("opening the relay's eventfd");
  }
  if (::bind(socket_, local.data(), static_cast<socklen_t>(local.size())) != 0) {
    const int error = errno;
    ::close(socket_);
    ::close(wake_);
    throw boost::system::system_error(error, boost::system::system_category(), "binding the relay's UDP socket");
  }
  sockaddr_storage bound{};
  socklen_t length = sizeof bound;
  ::getsockname(socket_, reinterpret_cast<sockaddr*>(&bound), &length);
  const std::size_t bound_bytes = std::min<std::size_t>(length, local_.capacity());
  std::memcpy(local_.data(), &bound, bound_bytes);
  local_.resize(bound_bytes);
  // Thousands of streams send their frames in bursts (each tick shard sends all its players' at
  // once): a large receive buffer holds what arrives between two reads. The kernel caps it at
  // net.core.rmem_max, unless the process may exceed that (SO_RCVBUFFORCE, root).
  constexpr int burst_bytes = 32 << 20;
  ::setsockopt(socket_, SOL_SOCKET, SO_RCVBUF, &burst_bytes, sizeof burst_bytes);
  ::setsockopt(socket_, SOL_SOCKET, SO_RCVBUFFORCE, &burst_bytes, sizeof burst_bytes);
  constexpr int on = 1;
  ::setsockopt(socket_, SOL_SOCKET, SO_TIMESTAMPNS, &on, sizeof on);
}

voice_udp_relay::~voice_udp_relay() {
  stop();
  ::close(wake_);
}

udp::endpoint voice_udp_relay::local_endpoint() const { return local_; }

void voice_udp_relay::start() {
  if (reader_.joinable() || stopping_) return;
  reader_ = std::thread([this] { receive_loop(); });
}

void voice_udp_relay::stop() {
  stopping_ = true;
  const std::uint64_t one = 1;
  [[maybe_unused]] const auto written = ::write(wake_, &one, sizeof one);
  if (reader_.joinable()) reader_.join();
  std::lock_guard lock(mutex_);
  if (socket_ >= 0) ::close(socket_);
  socket_ = -1;
}

void voice_udp_relay::receive_loop() {
  auto& b = *batch_;
  bool flowing = false;
  while (!stopping_) {
    // Idle: wait until a datagram arrives (or stop() writes to wake_). Flowing: wait the read
    // interval without watching the socket, so the datagrams arriving meanwhile wake no one.
    std::array<pollfd, 2> waits{pollfd{wake_, POLLIN, 0}, pollfd{socket_, POLLIN, 0}};
    const auto interval_ms = static_cast<int>(read_interval.count());
    if (::poll(waits.data(), flowing ? 1 : 2, flowing ? interval_ms : idle_wait_ms) < 0 && errno != EINTR) return;
    if (stopping_) return;
    flowing = false;
    for (;;) {
      b.reset();
      const int n = ::recvmmsg(socket_, b.messages.data(), batch_datagrams, MSG_DONTWAIT, nullptr);
      if (n <= 0) break;
      flowing = true;
      const auto steady_now = stream_checker::clock::now();
      const auto realtime_to_steady = std::chrono::duration_cast<std::chrono::nanoseconds>(
          steady_now.time_since_epoch() - std::chrono::system_clock::now().time_since_epoch());
      std::lock_guard lock(mutex_);
      for (int i = 0; i < n; ++i) {
        const auto index = static_cast<std::size_t>(i);
        udp::endpoint from;
        const auto name_length = b.messages[index].msg_hdr.msg_namelen;
        const std::size_t name_bytes = std::min<std::size_t>(name_length, from.capacity());
        std::memcpy(from.data(), &b.senders[index], name_bytes);
        from.resize(name_bytes);
        on_datagram(std::span(b.buffers[index]).first(b.messages[index].msg_len), from,
                    b.arrival(index, realtime_to_steady, steady_now));
      }
      if (static_cast<std::size_t>(n) < batch_datagrams) break;
    }
  }
}

void voice_udp_relay::send_to(std::span<const std::uint8_t> datagram, const udp::endpoint& to) {
  // A failed send (the peer's socket gone) is the peer's loss, as for Discord's SFU.
  [[maybe_unused]] const auto sent =
      ::sendto(socket_, datagram.data(), datagram.size(), MSG_DONTWAIT, to.data(), static_cast<socklen_t>(to.size()));
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

void voice_udp_relay::drop(std::string_view reason) {
  auto it = dropped_.find(reason);
  if (it == dropped_.end()) it = dropped_.emplace(std::string(reason), 0).first;
  ++it->second;
}

void voice_udp_relay::on_datagram(std::span<const std::uint8_t> datagram, const udp::endpoint& from,
                                  stream_checker::clock::time_point arrival) {
  ++datagrams_;
  if (datagram.size() == ip_discovery_bytes) {
    auto ssrc = parse_ip_discovery_request(datagram);
    if (!ssrc) return drop("malformed ip discovery");
    auto it = peers_.find(*ssrc);
    if (it == peers_.end()) return drop("unknown ssrc");
    it->second.address = from;
    const auto reply = ip_discovery_response({*ssrc, from.address().to_string(), from.port()});
    send_to(reply, from);
    return;
  }
  if (datagram.size() == keepalive_bytes) {
    send_to(datagram, from);
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
  checker_.add(packet->header, *payload, it->second.participant.end_to_end_encrypted, arrival);
  forward(packet->authenticated, plaintext_, it->second);
}

void voice_udp_relay::forward(std::span<const std::uint8_t> header, std::span<const std::uint8_t> payload,
                              const peer& from) {
  const auto group = groups_.find(from.participant.group);
  if (group == groups_.end()) return;
  for (const std::uint32_t ssrc : group->second) {
    auto& peer = peers_.at(ssrc);
    if (ssrc == from.participant.ssrc || !peer.address || !peer.cipher) continue;
    peer.cipher->seal(header, payload, ++peer.nonce, outgoing_);
    ++forwarded_;
    if (faults_.delay.count() == 0) {
      send_to(outgoing_, *peer.address);
      if (faults_.duplicate > 0 && std::uniform_real_distribution<double>(0, 1)(loss_random_) < faults_.duplicate)
        send_to(outgoing_, *peer.address);
      continue;
    }
    auto timer = std::make_shared<asio::steady_timer>(executor_, faults_.delay);
    timer->async_wait([self = shared_from_this(), timer, bytes = outgoing_, to = *peer.address](boost::system::error_code ec) {
      std::lock_guard lock(self->mutex_);
      if (ec || self->socket_ < 0) return;
      self->send_to(bytes, to);
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
