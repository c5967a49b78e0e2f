#include "tests/engine/webm/ogg_opus_reference.hpp"

#include "tests/engine/media_fixtures.hpp"

#include <ogg/ogg.h>

#include <cstring>
#include <optional>

namespace spence::test {

ogg_opus_reference read_ogg_opus(const std::filesystem::path& path) {
  const auto bytes = read_file(path);
  ogg_sync_state sync;
  ogg_sync_init(&sync);
  char* buffer = ogg_sync_buffer(&sync, static_cast<long>(bytes.size()));
  std::memcpy(buffer, bytes.data(), bytes.size());
  ogg_sync_wrote(&sync, static_cast<long>(bytes.size()));
  std::optional<ogg_stream_state> stream;
  ogg_opus_reference reference;
  std::size_t header_packets = 0;
  ogg_page page;
  while (ogg_sync_pageout(&sync, &page) == 1) {
    if (!stream) {
      stream.emplace();
      ogg_stream_init(&*stream, ogg_page_serialno(&page));
    }
    ogg_stream_pagein(&*stream, &page);
    ogg_packet packet;
    while (ogg_stream_packetout(&*stream, &packet) == 1) {
      const std::vector<std::uint8_t> data(packet.packet, packet.packet + packet.bytes);
      if (header_packets == 0) reference.opus_head = data;
      if (header_packets++ < 2) continue;
      reference.packets.push_back(data);
      if (packet.granulepos >= 0) reference.last_granule = packet.granulepos;
    }
  }
  if (stream) ogg_stream_clear(&*stream);
  ogg_sync_clear(&sync);
  return reference;
}

}  // namespace spence::test
