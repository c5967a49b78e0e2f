// The packet sinks and the realtime queue in front of slow destinations: the queue drops the
// oldest packet when full and allocates nothing once warm; the Ogg sink writes a file the demuxer
// reads back packet for packet; the UDP sink delivers every frame in order over loopback, survives
// a closed port, and queues (in order) when its socket would block.

#include "engine/file_source.hpp"
#include "engine/media_error.hpp"
#include "engine/media_open.hpp"
#include "engine/opus_encoder.hpp"
#include "engine/player/null_sink.hpp"
#include "engine/player/ogg_file_sink.hpp"
#include "engine/player/packet_queue.hpp"
#include "engine/player/udp_sink.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/local/datagram_protocol.hpp>

#include <gtest/gtest.h>

#include <poll.h>
#include <unistd.h>

#include <atomic>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <new>
#include <numbers>
#include <numeric>
#include <optional>
#include <stdexcept>

// Counts heap allocations, so the tests can say "this allocates nothing".
namespace {
std::atomic<std::uint64_t> heap_allocations{0};
}  // namespace

void* operator new(std::size_t size) {
  heap_allocations.fetch_add(1, std::memory_order_relaxed);
  if (void* p = std::malloc(size == 0 ? 1 : size)) return p;
  throw std::bad_alloc();
}
void operator delete(void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }

namespace spence::test {
namespace {

namespace asio = boost::asio;
using engine::media_errc;
using engine::media_error;
using engine::outgoing_frame;
using engine::packet_queue;
using bytes = std::vector<std::uint8_t>;

template <typename F>
std::uint64_t allocations_during(F&& f) {
  const std::uint64_t before = heap_allocations.load(std::memory_order_relaxed);
  f();
  return heap_allocations.load(std::memory_order_relaxed) - before;
}

// Bytes that differ from packet to packet, where only transport matters.
bytes pattern(std::size_t size, std::uint64_t seed) {
  bytes out(size);
  for (std::size_t i = 0; i < size; ++i) out[i] = static_cast<std::uint8_t>(seed * 31 + i * 7);
  return out;
}

// `count` real 20 ms Opus packets of a 440 Hz tone.
std::vector<bytes> opus_packets(int count) {
  engine::opus_encoder encoder({});
  std::vector<float> frame(engine::opus_encoder::frame_samples * 2);
  std::vector<bytes> out;
  for (int f = 0; f < count; ++f) {
    for (int i = 0; i < engine::opus_encoder::frame_samples; ++i) {
      const double t = static_cast<double>(f * engine::opus_encoder::frame_samples + i) / 48000.0;
      frame[2 * i] = frame[2 * i + 1] = static_cast<float>(0.4 * std::sin(2 * std::numbers::pi * 440 * t));
    }
    const auto packet = encoder.encode(frame);
    out.emplace_back(packet.begin(), packet.end());
  }
  return out;
}

outgoing_frame frame_of(std::uint64_t index, const bytes& opus) {
  // Frame indexes here can be huge (header byte patterns); the deadline only has to be some time.
  return {.frame = index, .deadline = actors::clock::time_point(std::chrono::milliseconds(20 * (index % 1000))), .opus = opus};
}

std::string temp_path(const std::string& name) {
  return ::testing::TempDir() + "spence_sinks_" + std::to_string(::getpid()) + "_" + name;
}

// ---- packet_queue ----

TEST(PacketQueue, AcceptsOneToFiftyPacketsOfCapacity) {
  EXPECT_EQ(packet_queue().capacity(), 50u);
  EXPECT_EQ(packet_queue(1).capacity(), 1u);
  EXPECT_THROW(packet_queue(51), std::invalid_argument);
  EXPECT_THROW(packet_queue(0), std::invalid_argument);
}

TEST(PacketQueue, KeepsOrderAndOwnsCopies) {
  packet_queue queue(4);
  bytes source = pattern(100, 1);
  queue.push(7, actors::clock::time_point(140), source);
  source.assign(source.size(), 0);  // the caller's buffer is gone after push
  queue.push(8, actors::clock::time_point(160), pattern(3000, 2));  // beyond one Opus frame: still whole
  EXPECT_EQ(queue.size(), 2u);
  EXPECT_EQ(queue.front().frame, 7u);
  EXPECT_EQ(queue.front().deadline, actors::clock::time_point(140));
  EXPECT_EQ(queue.front().opus, pattern(100, 1));
  queue.pop();
  EXPECT_EQ(queue.front().frame, 8u);
  EXPECT_EQ(queue.front().opus, pattern(3000, 2));
  queue.pop();
  EXPECT_TRUE(queue.empty());
  EXPECT_EQ(queue.dropped(), 0u);
}

TEST(PacketQueue, DropsTheOldestWhenFull) {
  packet_queue queue(3);
  for (std::uint64_t f = 0; f < 5; ++f) queue.push(f, {}, pattern(10, f));
  EXPECT_EQ(queue.size(), 3u);
  EXPECT_EQ(queue.dropped(), 2u);
  for (std::uint64_t f = 2; f < 5; ++f) {
    EXPECT_EQ(queue.front().frame, f);
    EXPECT_EQ(queue.front().opus, pattern(10, f));
    queue.pop();
  }
  EXPECT_TRUE(queue.empty());
  queue.push(5, {}, pattern(10, 5));  // popping made room: no drop
  EXPECT_EQ(queue.dropped(), 2u);
}

TEST(PacketQueue, AllocatesNothingUntilUsedNorOnceWarm) {
  std::optional<packet_queue> queue;
  EXPECT_EQ(allocations_during([&] { queue.emplace(); }), 0u);

  std::vector<bytes> packets;
  for (std::size_t size : {1275u, 1u, 400u, 1275u, 60u}) packets.push_back(pattern(size, size));
  for (std::uint64_t f = 0; f < 50; ++f) queue->push(f, {}, packets[f % packets.size()]);  // warms every slot

  std::uint64_t next = 50;  // frames pushed so far
  std::uint64_t popped = 0;
  const std::uint64_t allocations = allocations_during([&] {
    // Overflowing rounds (60 pushes, 20 pops) and draining ones (4 pushes, up to 30 pops) go through
    // every slot and the wrap-around.
    for (int round = 0; round < 40; ++round) {
      const bool overflow = round % 2 == 0;
      for (int i = 0; i < (overflow ? 60 : 4); ++i, ++next) queue->push(next, {}, packets[next % packets.size()]);
      for (int i = 0; i < (overflow ? 20 : 30) && !queue->empty(); ++i, ++popped) {
        const std::uint64_t oldest = next - queue->size();  // drops only ever take the oldest
        EXPECT_EQ(queue->front().frame, oldest);
        EXPECT_EQ(queue->front().opus, packets[oldest % packets.size()]);
        EXPECT_GE(queue->front().opus.capacity(), packet_queue::reserved_packet_bytes);
        queue->pop();
      }
    }
  });
  EXPECT_EQ(allocations, 0u);
  EXPECT_EQ(queue->dropped() + popped + queue->size(), next);
  EXPECT_GT(queue->dropped(), 0u);
}

// ---- null_sink ----

TEST(NullSink, CountsWhatItDiscards) {
  engine::null_sink sink;
  const bytes packet = pattern(50, 0);
  for (std::uint64_t f = 0; f < 3; ++f) sink.send(frame_of(f, packet));
  sink.flush();
  EXPECT_EQ(sink.counters().sent, 3u);
  EXPECT_EQ(sink.counters().dropped, 0u);
}

// ---- ogg_file_sink ----

engine::opus_head stereo_head(const engine::opus_encoder& encoder) {
  engine::opus_head head;
  head.channels = 2;
  head.pre_skip = static_cast<std::uint16_t>(encoder.lookahead());
  head.input_sample_rate = 48000;
  head.coupled_count = 1;
  return head;
}

std::vector<bytes> demux_file(const std::string& path, engine::opus_head* head = nullptr) {
  auto opened = engine::open_media(std::make_unique<engine::file_source>(path));
  EXPECT_EQ(opened.kind, engine::container::ogg);
  if (head != nullptr) *head = opened.opus->info().head;
  std::vector<bytes> out;
  std::int64_t expected_timestamp = 0;
  while (const auto packet = opened.opus->next()) {
    EXPECT_EQ(packet->timestamp, expected_timestamp);
    expected_timestamp += engine::opus_encoder::frame_samples;
    out.emplace_back(packet->data.begin(), packet->data.end());
  }
  return out;
}

TEST(OggFileSink, WritesAFileTheDemuxerReadsBackPacketForPacket) {
  const auto packets = opus_packets(120);
  const engine::opus_encoder reference({});
  const std::string path = temp_path("roundtrip.opus");
  {
    engine::ogg_file_sink sink(path, stereo_head(reference), 0x5350454E);
    for (std::size_t f = 0; f < packets.size(); ++f) sink.send(frame_of(f, packets[f]));
    sink.flush();
    EXPECT_EQ(sink.counters().sent, packets.size());
    EXPECT_EQ(sink.counters().dropped, 0u);
  }
  engine::opus_head head;
  EXPECT_EQ(demux_file(path, &head), packets);
  EXPECT_EQ(head.channels, 2);
  EXPECT_EQ(head.pre_skip, static_cast<std::uint16_t>(reference.lookahead()));
  std::filesystem::remove(path);
}

TEST(OggFileSink, DropsARefusedPacketAndPacketsAfterTheEndButKeepsTheRest) {
  const auto packets = opus_packets(3);
  const engine::opus_encoder reference({});
  const std::string path = temp_path("refused.opus");
  {
    engine::ogg_file_sink sink(path, stereo_head(reference), 1);
    sink.send(frame_of(0, packets[0]));
    EXPECT_NO_THROW(sink.send(frame_of(1, bytes{})));  // no TOC byte: no Opus duration
    sink.send(frame_of(2, packets[1]));
    sink.flush();
    EXPECT_NO_THROW(sink.send(frame_of(3, packets[2])));  // the stream has ended
    EXPECT_EQ(sink.counters().sent, 2u);
    EXPECT_EQ(sink.counters().dropped, 2u);
  }
  EXPECT_EQ(demux_file(path), (std::vector<bytes>{packets[0], packets[1]}));
  std::filesystem::remove(path);
}

TEST(OggFileSink, NamesThePathAndTheReasonWhenTheFileCannotBeCreated) {
  const engine::opus_encoder reference({});
  const std::string missing_dir = temp_path("no-such-dir/out.opus");
  try {
    engine::ogg_file_sink sink(missing_dir, stereo_head(reference), 1);
    ADD_FAILURE() << "no error";
  } catch (const media_error& e) {
    EXPECT_EQ(e.code(), media_errc::io);
    EXPECT_NE(std::string(e.what()).find(missing_dir), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("No such file or directory"), std::string::npos) << e.what();
  }
  try {
    engine::ogg_file_sink sink(::testing::TempDir(), stereo_head(reference), 1);
    ADD_FAILURE() << "no error";
  } catch (const media_error& e) {
    EXPECT_NE(std::string(e.what()).find("Is a directory"), std::string::npos) << e.what();
  }
}

TEST(OggFileSink, AFullDiskDropsPacketsWithoutThrowing) {
  if (!std::filesystem::exists("/dev/full")) GTEST_SKIP() << "no /dev/full";
  const auto packets = opus_packets(300);  // ~100 KB: well past the stream's buffer
  const engine::opus_encoder reference({});
  engine::ogg_file_sink sink("/dev/full", stereo_head(reference), 1);
  for (std::size_t f = 0; f < packets.size(); ++f) EXPECT_NO_THROW(sink.send(frame_of(f, packets[f])));
  EXPECT_NO_THROW(sink.flush());
  const auto counters = sink.counters();
  EXPECT_GT(counters.dropped, 0u);
  EXPECT_EQ(counters.sent + counters.dropped, packets.size());
}

// ---- udp_sink ----

// Waits up to a second for a datagram; returns it, or nothing on timeout.
template <typename Socket>
std::optional<bytes> receive(Socket& socket, int timeout_ms = 1000) {
  pollfd fd{.fd = socket.native_handle(), .events = POLLIN, .revents = 0};
  if (::poll(&fd, 1, timeout_ms) != 1) return std::nullopt;
  bytes datagram(70000);
  datagram.resize(socket.receive(asio::buffer(datagram)));
  return datagram;
}

std::uint64_t frame_in(const bytes& datagram) {
  std::uint64_t frame = 0;
  for (std::size_t i = 0; i < engine::udp_sink::header_bytes; ++i) frame = frame << 8 | datagram[i];
  return frame;
}

bytes payload_of(const bytes& datagram) {
  return {datagram.begin() + engine::udp_sink::header_bytes, datagram.end()};
}

TEST(UdpSink, DeliversEveryFrameInOrderOverLoopback) {
  asio::io_context io;
  asio::ip::udp::socket receiver(io, asio::ip::udp::endpoint(asio::ip::address_v4::loopback(), 0));
  engine::udp_sink sink(io.get_executor(), receiver.local_endpoint());
  const auto packets = opus_packets(60);
  const std::uint64_t first = 0x0102030405060700;  // every header byte matters
  for (std::size_t burst = 0; burst < packets.size(); burst += 10) {  // bursts within the receive buffer
    for (std::size_t i = burst; i < burst + 10; ++i) sink.send(frame_of(first + i, packets[i]));
    for (std::size_t i = burst; i < burst + 10; ++i) {
      const auto datagram = receive(receiver);
      ASSERT_TRUE(datagram) << "frame " << i << " did not arrive";
      ASSERT_EQ(datagram->size(), engine::udp_sink::header_bytes + packets[i].size());
      EXPECT_EQ(bytes(datagram->begin(), datagram->begin() + 8),
                (bytes{0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, static_cast<std::uint8_t>(i)}));
      EXPECT_EQ(payload_of(*datagram), packets[i]);
    }
  }
  EXPECT_EQ(sink.counters().sent, packets.size());
  EXPECT_EQ(sink.counters().dropped, 0u);
  EXPECT_EQ(sink.queued(), 0u);
}

TEST(UdpSink, AClosedPortCountsDropsAndNeverThrows) {
  asio::io_context io;
  asio::ip::udp::endpoint closed;
  {
    asio::ip::udp::socket probe(io, asio::ip::udp::endpoint(asio::ip::address_v4::loopback(), 0));
    closed = probe.local_endpoint();
  }
  engine::udp_sink sink(io.get_executor(), closed);
  const bytes packet = pattern(100, 0);
  // Linux on loopback: each datagram draws an ICMP port-unreachable at once, and the next send
  // fails with "connection refused" and discards its own datagram, so sends alternate.
  for (std::uint64_t f = 0; f < 20; ++f) EXPECT_NO_THROW(sink.send(frame_of(f, packet)));
  EXPECT_NO_THROW(sink.flush());
  EXPECT_GT(sink.counters().dropped, 0u);
  EXPECT_EQ(sink.counters().sent + sink.counters().dropped, 20u);
  EXPECT_EQ(sink.queued(), 0u);
}

// Loopback UDP never reports would-block, so the queueing path runs over a Unix datagram socket
// whose reader does not read: Linux refuses more than net.unix.max_dgram_qlen (10) datagrams
// waiting in it, and a non-blocking send then would block.
struct lagging_reader {
  explicit lagging_reader(const std::string& name) : path(temp_path(name)) {
    std::filesystem::remove(path);
    reader.bind(asio::local::datagram_protocol::endpoint(path));
  }
  ~lagging_reader() { std::filesystem::remove(path); }

  engine::udp_sink sink() {
    return engine::udp_sink(io.get_executor(),
                            asio::generic::datagram_protocol::endpoint(asio::local::datagram_protocol::endpoint(path)),
                            path);
  }
  // Reads the datagrams waiting, checking each one's payload, and returns their frames.
  std::vector<std::uint64_t> read_waiting() {
    std::vector<std::uint64_t> frames;
    while (const auto datagram = receive(reader, 0)) {
      frames.push_back(frame_in(*datagram));
      EXPECT_EQ(payload_of(*datagram), pattern(200, frames.back()));
    }
    return frames;
  }

  std::string path;
  asio::io_context io;
  asio::local::datagram_protocol::socket reader{io, asio::local::datagram_protocol()};
};

TEST(UdpSink, QueuesWhenTheSocketWouldBlockAndKeepsFrameOrder) {
  lagging_reader destination("order.sock");
  auto sink = destination.sink();
  for (std::uint64_t f = 0; f < 30; ++f) sink.send(frame_of(f, pattern(200, f)));
  EXPECT_GT(sink.queued(), 0u);
  EXPECT_EQ(sink.counters().sent + sink.queued(), 30u);

  std::vector<std::uint64_t> received;
  std::uint64_t next = 30;
  for (int round = 0; round < 20 && received.size() < 40; ++round) {
    const auto frames = destination.read_waiting();
    received.insert(received.end(), frames.begin(), frames.end());
    if (next < 40) {
      sink.send(frame_of(next, pattern(200, next)));  // goes after the queued frames
      ++next;
    } else {
      sink.flush();
    }
  }
  std::vector<std::uint64_t> all(40);
  std::iota(all.begin(), all.end(), 0);
  EXPECT_EQ(received, all);
  EXPECT_EQ(sink.counters().sent, 40u);
  EXPECT_EQ(sink.counters().dropped, 0u);
}

TEST(UdpSink, AFullQueueDropsTheOldestQueuedPackets) {
  lagging_reader destination("overflow.sock");
  auto sink = destination.sink();
  for (std::uint64_t f = 0; f < 100; ++f) sink.send(frame_of(f, pattern(200, f)));
  const std::uint64_t accepted = sink.counters().sent;  // what the socket took before it blocked
  ASSERT_LT(accepted, 50u);
  EXPECT_EQ(sink.queued(), packet_queue::max_capacity);
  EXPECT_EQ(sink.counters().dropped, 100 - accepted - packet_queue::max_capacity);

  std::vector<std::uint64_t> received;
  for (int round = 0; round < 20 && sink.queued() > 0; ++round) {
    const auto frames = destination.read_waiting();
    received.insert(received.end(), frames.begin(), frames.end());
    sink.flush();
  }
  const auto rest = destination.read_waiting();
  received.insert(received.end(), rest.begin(), rest.end());

  std::vector<std::uint64_t> expected(accepted);  // the datagrams sent at once, then the newest 50
  std::iota(expected.begin(), expected.end(), 0);
  for (std::uint64_t f = 100 - packet_queue::max_capacity; f < 100; ++f) expected.push_back(f);
  EXPECT_EQ(received, expected);
}

}  // namespace
}  // namespace spence::test
