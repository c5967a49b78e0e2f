#include "net/voice/voice_sink.hpp"

#include <boost/asio/error.hpp>
#include <boost/system/system_error.hpp>

#include <spdlog/spdlog.h>

#include <sys/socket.h>
#include <unistd.h>

namespace spence::net {

namespace asio = boost::asio;
using udp = asio::ip::udp;

voice_sink::voice_sink(std::uint32_t seed, std::size_t queue_packets) : seed_(seed), queue_(queue_packets) {}

voice_sink::~voice_sink() {
  if (socket_ >= 0) ::close(socket_);
}

void voice_sink::attach(const voice_transport& transport, udp::socket& socket, std::function<void()> audio_ended,
                        const void* owner) {
  const int descriptor = ::dup(socket.native_handle());
  if (descriptor < 0)
    throw boost::system::system_error(errno, boost::system::system_category(), "duplicating the voice socket");
  if (::connect(descriptor, transport.server.data(), static_cast<socklen_t>(transport.server.size())) != 0) {
    const int error = errno;
    ::close(descriptor);
    throw boost::system::system_error(error, boost::system::system_category(), "connecting the voice socket");
  }
  auto cipher = std::make_unique<transport_cipher>(transport.mode, transport.key);

  std::lock_guard lock(mutex_);
  audio_ended_ = std::move(audio_ended);
  owner_ = owner;
  if (socket_ >= 0) ::close(socket_);
  socket_ = descriptor;
  server_ = transport.server;
  cipher_ = std::move(cipher);
  if (!packetizer_ || packetizer_->ssrc() != transport.ssrc) {
    // A new SSRC is a new stream: its sequence and timestamp start afresh, and packets queued for
    // the old one are dropped with it (a fresh session cannot send them under its key anyway).
    packetizer_ = std::make_unique<rtp_packetizer>(transport.ssrc, seed_++);
    last_frame_.reset();
    while (!queue_.empty()) {
      queue_.pop();
      ++disconnected_;
    }
  }
}

void voice_sink::detach(const void* owner) {
  std::lock_guard lock(mutex_);
  if (owner != owner_) return;
  owner_ = nullptr;
  if (socket_ >= 0) ::close(socket_);
  socket_ = -1;
  cipher_.reset();
  audio_ended_ = nullptr;
}

std::uint64_t voice_sink::next_frame(std::uint64_t frame) const noexcept {
  return last_frame_ && frame <= *last_frame_ ? *last_frame_ + 1 : frame;
}

void voice_sink::set_frame_encryptor(std::shared_ptr<frame_encryptor> encryptor) {
  std::lock_guard lock(mutex_);
  encryptor_ = std::move(encryptor);
}

void voice_sink::send(const engine::outgoing_frame& frame) {
  std::lock_guard lock(mutex_);
  if (!cipher_) {
    ++disconnected_;
    return;
  }
  const auto opus = encryptor_ ? encryptor_->encrypt(frame.opus, encrypted_frame_) : frame.opus;
  if (encryptor_ && opus.empty()) {
    ++unencryptable_;  // the encryptor has no key yet: nothing may go out in the clear
    return;
  }
  // Encrypted once, here: a packet that has to wait is queued as the datagram it already is, so
  // its sequence number and nonce keep their order.
  const std::uint64_t index = next_frame(frame.frame);
  const auto packet = packetizer_->audio_packet(index, opus, *cipher_);
  last_frame_ = index;
  queue_.send_in_order(index, frame.deadline, packet,
                       [this](std::uint64_t, std::span<const std::uint8_t> datagram) { return transmit(datagram); });
}

void voice_sink::flush() {
  std::function<void()> tell;
  {
    std::lock_guard lock(mutex_);
    if (!cipher_) return;
    queue_.drain([this](std::uint64_t, std::span<const std::uint8_t> datagram) { return transmit(datagram); });
    if (packetizer_->silence_frames_owed() > 0) tell = audio_ended_;
  }
  if (tell) tell();
}

bool voice_sink::send_silence() {
  std::lock_guard lock(mutex_);
  if (!cipher_ || !packetizer_ || packetizer_->silence_frames_owed() == 0 || !queue_.empty()) return false;
  const std::uint64_t frame = next_frame(last_frame_.value_or(0));
  if (put_on_wire(packetizer_->silence_packet(frame, *cipher_)) == engine::transmit_outcome::sent) ++silence_;
  last_frame_ = frame;
  return packetizer_->silence_frames_owed() > 0;
}

engine::transmit_outcome voice_sink::transmit(std::span<const std::uint8_t> datagram) {
  const auto outcome = put_on_wire(datagram);
  if (outcome == engine::transmit_outcome::sent) ++sent_;
  return outcome;
}

engine::transmit_outcome voice_sink::put_on_wire(std::span<const std::uint8_t> packet) {
  // Never waits: a socket that cannot take the packet now says so, and the packet is queued.
  if (::send(socket_, packet.data(), packet.size(), MSG_DONTWAIT) >= 0) return engine::transmit_outcome::sent;
  const boost::system::error_code error(errno, boost::system::system_category());
  if (error == asio::error::would_block || error == asio::error::try_again) return engine::transmit_outcome::would_block;
  ++failed_;
  if (!failure_logged_) {
    failure_logged_ = true;
    spdlog::warn("voice sink: sending to {}:{} failed: {}; dropping the packet (further failures are only counted)",
                 server_.address().to_string(), server_.port(), error.message());
  }
  return engine::transmit_outcome::failed;
}

engine::sink_counters voice_sink::counters() const {
  std::lock_guard lock(mutex_);
  return {.sent = sent_, .dropped = disconnected_ + unencryptable_ + failed_ + queue_.dropped()};
}

bool voice_sink::attached() const {
  std::lock_guard lock(mutex_);
  return cipher_ != nullptr;
}

boost::json::object voice_sink::stats() const {
  std::lock_guard lock(mutex_);
  return {{"attached", cipher_ != nullptr},
          {"ssrc", packetizer_ ? packetizer_->ssrc() : 0},
          {"sent", sent_},
          {"silence", silence_},
          {"disconnected", disconnected_},
          {"unencryptable", unencryptable_},
          {"would_block_dropped", queue_.dropped()},
          {"failed", failed_},
          {"queued", queue_.size()},
          {"queue_capacity", queue_.capacity()}};
}

}  // namespace spence::net
