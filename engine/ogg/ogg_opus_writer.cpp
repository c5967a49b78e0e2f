#include "engine/ogg/ogg_opus_writer.hpp"

#include "engine/media_error.hpp"
#include "engine/ogg/ogg_logical_stream.hpp"
#include "engine/opus_packet_samples.hpp"

#include <stdexcept>
#include <vector>

namespace spence::engine {
namespace {

constexpr std::string_view writer_name = "Ogg Opus writer";
// A page at least every second of audio (48 kHz samples), so a live reader is never far behind.
constexpr std::int64_t max_page_samples = 48'000;

std::vector<std::uint8_t> opus_tags(const std::string& vendor) {
  std::vector<std::uint8_t> out{'O', 'p', 'u', 's', 'T', 'a', 'g', 's'};
  const auto push32 = [&](std::uint32_t v) {
    for (int shift = 0; shift < 32; shift += 8) out.push_back(static_cast<std::uint8_t>(v >> shift));
  };
  push32(static_cast<std::uint32_t>(vendor.size()));
  out.insert(out.end(), vendor.begin(), vendor.end());
  push32(0);  // no user comments
  return out;
}

}  // namespace

struct ogg_opus_writer::state {
  state(std::ostream& o, std::uint32_t serial) : out(o), stream(serial) {}

  // Hands a packet to libogg; granule is the sample count through the end of it.
  void submit(std::span<const std::uint8_t> packet, std::int64_t granule, bool bos, bool eos) {
    ogg_packet op{};
    op.packet = const_cast<unsigned char*>(packet.data());  // libogg copies it; the API is not const
    op.bytes = static_cast<long>(packet.size());
    op.b_o_s = bos ? 1 : 0;
    op.e_o_s = eos ? 1 : 0;
    op.granulepos = granule;
    op.packetno = packetno++;
    ogg_stream_packetin(stream.get(), &op);
  }

  // Writes the pages libogg has filled, or with flush every page it holds.
  void write_pages(bool flush) {
    ogg_page page{};
    while (flush ? ogg_stream_flush(stream.get(), &page) : ogg_stream_pageout(stream.get(), &page)) {
      out.write(reinterpret_cast<const char*>(page.header), page.header_len);
      out.write(reinterpret_cast<const char*>(page.body), page.body_len);
      if (!out) throw media_error(media_errc::io, writer_name, "the output stream failed");
      if (ogg_page_granulepos(&page) >= 0) paged_granule = ogg_page_granulepos(&page);
    }
  }

  std::ostream& out;
  ogg_logical_stream stream;
  std::int64_t packetno = 0;
  std::int64_t granule = 0;        // samples through the held packet
  std::int64_t paged_granule = 0;  // granule position of the last page written
  std::vector<std::uint8_t> held;  // the newest packet, not yet given to libogg
  bool holding = false;
  bool finished = false;
};

ogg_opus_writer::ogg_opus_writer(std::ostream& out, const opus_head& head, std::uint32_t serial, std::string vendor)
    : state_(std::make_unique<state>(out, serial)) {
  // Each header ends its page (RFC 7845 section 3), hence a flush after each.
  state_->submit(serialize_opus_head(head), 0, true, false);
  state_->write_pages(true);
  state_->submit(opus_tags(vendor), 0, false, false);
  state_->write_pages(true);
}

ogg_opus_writer::~ogg_opus_writer() {
  try {
    finish();
  } catch (const std::exception&) {
    // The destructor may run during unwinding; a caller who wants the error calls finish().
  }
}

void ogg_opus_writer::write(std::span<const std::uint8_t> packet) {
  state& s = *state_;
  if (s.finished) throw std::logic_error("ogg_opus_writer::write after finish");
  const auto samples = opus_packet_samples(packet);
  if (!samples) throw media_error(media_errc::malformed, writer_name, "a packet with no valid Opus duration");
  if (s.holding) {
    s.submit(s.held, s.granule, false, false);
    s.write_pages(s.granule - s.paged_granule >= max_page_samples);
  }
  s.held.assign(packet.begin(), packet.end());
  s.holding = true;
  s.granule += *samples;
}

void ogg_opus_writer::finish() {
  state& s = *state_;
  if (s.finished) return;
  s.finished = true;
  if (s.holding) s.submit(s.held, s.granule, false, true);
  s.write_pages(true);
}

}  // namespace spence::engine
