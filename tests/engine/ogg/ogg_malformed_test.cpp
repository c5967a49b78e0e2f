// Bad Ogg input: cut, damaged, lying or endless. Each parser rule gets a case; every failure must
// be a media_error with the right code, never a crash, a hang or an unbounded read.

#include "engine/ogg/ogg_limits.hpp"
#include "tests/engine/ogg/ogg_test_support.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>

namespace spence::test {
namespace {

namespace limits = engine::ogg_limits;

// Reads what the demuxer yields until the end or an error; the error's code, if any.
struct outcome {
  std::vector<packet_copy> packets;
  std::optional<media_errc> error;
};

outcome demux(std::unique_ptr<byte_reader> reader) {
  outcome out;
  try {
    auto demuxer = engine::open_ogg(std::move(reader));
    while (const auto p = demuxer->next()) out.packets.push_back(copy_of(*p));
  } catch (const media_error& e) {
    out.error = e.code();
  }
  return out;
}

outcome demux(std::vector<std::uint8_t> bytes) {
  return demux(std::make_unique<byte_reader>(std::make_unique<memory_source>(std::move(bytes), "bad.opus")));
}

bool is_prefix(const std::vector<packet_copy>& part, const std::vector<packet_copy>& whole) {
  return part.size() <= whole.size() && std::equal(part.begin(), part.end(), whole.begin());
}

// A stream that never ends: pseudo-random bytes with a capture pattern sprinkled in.
class endless_junk final : public engine::byte_source {
 public:
  explicit endless_junk(std::uint64_t& served) : served_(served) {}
  std::size_t read(std::span<std::uint8_t> out) override {
    for (auto& b : out) b = static_cast<std::uint8_t>(random_());
    if (out.size() >= 4) std::copy_n("OggS", 4, out.begin());
    served_ += out.size();
    return out.size();
  }
  bool seekable() const override { return false; }
  void seek(std::uint64_t) override { throw media_error(media_errc::not_seekable, name_, "endless"); }
  std::optional<std::uint64_t> size() const override { return std::nullopt; }
  std::size_t available() const override { return 0; }
  const std::string& name() const override { return name_; }

 private:
  std::uint64_t& served_;
  std::mt19937 random_{7};
  std::string name_ = "junk";
};

TEST(OggMalformed, EveryPrefixYieldsAPrefixOfThePacketsOrTruncated) {
  const auto bytes = read_file(fixture("mono48_20ms.opus"));
  const auto all = demux(bytes).packets;
  ASSERT_GT(all.size(), 100u);
  for (std::size_t n = 0; n < bytes.size(); n += n < 2000 ? 1 : 7) {
    const outcome o = demux(std::vector<std::uint8_t>(bytes.begin(), bytes.begin() + static_cast<std::ptrdiff_t>(n)));
    EXPECT_TRUE(is_prefix(o.packets, all)) << "prefix " << n;
    if (o.error) EXPECT_EQ(*o.error, media_errc::truncated) << "prefix " << n;
  }
}

TEST(OggMalformed, PrefixesEndingBetweenPagesEndCleanlyAndInsidePagesAsTruncated) {
  const auto bytes = read_file(fixture("mono48_20ms.opus"));
  const auto pages = page_offsets(bytes);
  ASSERT_GT(pages.size(), 4u);
  const auto cut = [&](std::size_t n) {
    return demux(std::vector<std::uint8_t>(bytes.begin(), bytes.begin() + static_cast<std::ptrdiff_t>(n)));
  };
  EXPECT_FALSE(cut(pages[3]).error.has_value());
  EXPECT_EQ(cut(pages[3] + 30).error, media_errc::truncated);
  EXPECT_EQ(cut(pages[1]).error, media_errc::truncated) << "the headers are incomplete";
  EXPECT_EQ(cut(0).error, media_errc::truncated);
}

TEST(OggMalformed, APageFailingItsCrcLosesOnlyItsPackets) {
  const auto bytes = read_file(fixture("long60.opus"));
  const auto all = demux(bytes).packets;
  const auto pages = page_offsets(bytes);
  ASSERT_GT(pages.size(), 100u);
  auto damaged = bytes;
  damaged[pages[50] + 100] ^= 0x40;  // in the body of a page in the middle
  const outcome o = demux(damaged);
  EXPECT_FALSE(o.error.has_value());
  ASSERT_LT(o.packets.size(), all.size());
  // What is left is the packets before the page and after it, with their timestamps.
  std::size_t first_lost = 0;
  while (o.packets[first_lost] == all[first_lost]) ++first_lost;
  const std::size_t lost = all.size() - o.packets.size();
  for (std::size_t i = first_lost; i < o.packets.size(); ++i) EXPECT_EQ(o.packets[i], all[i + lost]) << i;
}

TEST(OggMalformed, DamageAnywhereEndsInPacketsOrAnError) {
  const auto bytes = read_file(fixture("mono48_20ms.opus"));
  const auto all = demux(bytes).packets;
  for (std::size_t at = 0; at < bytes.size(); at += at < 300 ? 1 : 41) {
    auto damaged = bytes;
    damaged[at] ^= 0xA5;
    const outcome o = demux(damaged);
    // Intact packets only, in order, with rising timestamps.
    auto from = all.begin();
    for (std::size_t i = 0; i < o.packets.size(); ++i) {
      from = std::find_if(from, all.end(), [&](const packet_copy& p) { return p.bytes == o.packets[i].bytes; });
      ASSERT_NE(from, all.end()) << "damage at " << at << ": packet " << i << " is not one of the file's";
      if (i > 0) EXPECT_LT(o.packets[i - 1].timestamp, o.packets[i].timestamp) << "damage at " << at;
    }
  }
}

TEST(OggMalformed, APageMissingFromTheSequenceLosesOnlyItsPackets) {
  auto bytes = synthetic_opus(10, 4);
  const auto all = demux(bytes).packets;
  const auto pages = page_offsets(bytes);
  bytes.erase(bytes.begin() + static_cast<std::ptrdiff_t>(pages[5]), bytes.begin() + static_cast<std::ptrdiff_t>(pages[6]));
  const outcome o = demux(bytes);
  EXPECT_FALSE(o.error.has_value());
  ASSERT_EQ(o.packets.size(), all.size() - 4);
  EXPECT_TRUE(std::equal(o.packets.begin(), o.packets.begin() + 12, all.begin()));
  EXPECT_TRUE(std::equal(o.packets.begin() + 12, o.packets.end(), all.begin() + 16)) << "timestamps resume exactly";
}

TEST(OggMalformed, EmptyInputIsTruncated) { EXPECT_EQ(demux(std::vector<std::uint8_t>{}).error, media_errc::truncated); }

TEST(OggMalformed, JunkIsMalformed) {
  std::vector<std::uint8_t> junk(100'000);
  std::mt19937 random(3);
  for (auto& b : junk) b = static_cast<std::uint8_t>(random());
  EXPECT_EQ(demux(junk).error, media_errc::malformed);
  EXPECT_EQ(demux(std::vector<std::uint8_t>(10, 'x')).error, media_errc::malformed);
}

TEST(OggMalformed, EndlessJunkEndsAfterTheScanLimit) {
  std::uint64_t served = 0;
  const outcome o = demux(std::make_unique<byte_reader>(std::make_unique<endless_junk>(served)));
  EXPECT_EQ(o.error, media_errc::malformed);
  EXPECT_LT(served, limits::max_unsynced_bytes + 2 * byte_reader::default_capacity);
}

TEST(OggMalformed, JunkBetweenPagesIsSkippedWithinTheLimit) {
  auto bytes = synthetic_opus(4, 3);
  const auto all = demux(bytes).packets;
  const auto pages = page_offsets(bytes);
  auto with_junk = bytes;
  with_junk.insert(with_junk.begin() + static_cast<std::ptrdiff_t>(pages[3]), 5000, 'O');
  EXPECT_EQ(demux(with_junk).packets, all);
  with_junk.insert(with_junk.begin() + static_cast<std::ptrdiff_t>(pages[3]), limits::max_unsynced_bytes, 'j');
  EXPECT_EQ(demux(with_junk).error, media_errc::malformed);
}

TEST(OggMalformed, AStreamWithoutItsOpusHeadPageIsMalformed) {
  const auto bytes = read_file(fixture("mono48_20ms.opus"));
  const auto pages = page_offsets(bytes);
  EXPECT_EQ(demux(std::vector<std::uint8_t>(bytes.begin() + static_cast<std::ptrdiff_t>(pages[1]), bytes.end())).error,
            media_errc::malformed);
}

std::vector<std::uint8_t> with_head(std::vector<std::uint8_t> head) {
  std::vector<std::uint8_t> out;
  page_builder b;
  b.packet(head).end_page(out, 7, 0, page_builder::bos, 0);
  b.packet(opus_tags_bytes()).end_page(out, 7, 1, 0, 0);
  b.packet(opus_20ms()).end_page(out, 7, 2, page_builder::eos, 960);
  return out;
}

TEST(OggMalformed, BadOpusHeads) {
  auto zero_channels = opus_head_bytes();
  zero_channels[9] = 0;
  EXPECT_EQ(demux(with_head(zero_channels)).error, media_errc::malformed);
  auto version_16 = opus_head_bytes();
  version_16[8] = 16;
  EXPECT_EQ(demux(with_head(version_16)).error, media_errc::unsupported_codec);
  auto short_head = opus_head_bytes();
  short_head.resize(18);
  EXPECT_EQ(demux(with_head(short_head)).error, media_errc::malformed);
  auto unknown = opus_head_bytes();
  unknown[0] = 'X';
  EXPECT_EQ(demux(with_head(unknown)).error, media_errc::unsupported_codec);
  EXPECT_FALSE(demux(with_head(opus_head_bytes())).error.has_value());
}

TEST(OggMalformed, OpusHeadSharingItsPageIsMalformed) {
  std::vector<std::uint8_t> out;
  page_builder b;
  b.packet(opus_head_bytes()).packet(opus_tags_bytes()).end_page(out, 7, 0, page_builder::bos, 0);
  EXPECT_EQ(demux(out).error, media_errc::malformed);
}

TEST(OggMalformed, BadOpusTags) {
  const auto stream_with_tags = [](const std::vector<std::uint8_t>& tags) {
    std::vector<std::uint8_t> out;
    page_builder b;
    b.packet(opus_head_bytes()).end_page(out, 7, 0, page_builder::bos, 0);
    b.packet(tags).end_page(out, 7, 1, 0, 0);
    b.packet(opus_20ms()).end_page(out, 7, 2, page_builder::eos, 960);
    return out;
  };
  EXPECT_EQ(demux(stream_with_tags(opus_20ms())).error, media_errc::malformed) << "audio where tags belong";
  auto lying_vendor = opus_tags_bytes("abc");
  lying_vendor[8] = 200;
  EXPECT_EQ(demux(stream_with_tags(lying_vendor)).error, media_errc::malformed);
  auto short_tags = opus_tags_bytes("");
  short_tags.resize(12);
  EXPECT_EQ(demux(stream_with_tags(short_tags)).error, media_errc::malformed);

  std::vector<std::uint8_t> shared;
  page_builder b;
  b.packet(opus_head_bytes()).end_page(shared, 7, 0, page_builder::bos, 0);
  b.packet(opus_tags_bytes()).packet(opus_20ms()).end_page(shared, 7, 1, 0, 960);
  EXPECT_EQ(demux(shared).error, media_errc::malformed) << "audio on the tags' page";
}

// OpusTags over `pages` full pages of 65025 bytes, then a short page that ends it.
std::vector<std::uint8_t> stream_with_tag_pages(std::size_t pages) {
  std::vector<std::uint8_t> out;
  page_builder b;
  b.packet(opus_head_bytes()).end_page(out, 7, 0, page_builder::bos, 0);
  auto tags = opus_tags_bytes("v");
  tags.resize(255 * 255, 'x');
  std::uint32_t sequence = 1;
  b.open_packet(tags).end_page(out, 7, sequence++, 0, -1);
  const auto more = segments_of(255, 'x');
  for (std::size_t i = 1; i < pages; ++i) b.open_packet(more).end_page(out, 7, sequence++, page_builder::continued, -1);
  b.packet(std::vector<std::uint8_t>(10, 'x')).end_page(out, 7, sequence++, page_builder::continued, 0);
  b.packet(opus_20ms()).end_page(out, 7, sequence, page_builder::eos, 960);
  return out;
}

TEST(OggMalformed, TagsSpanningPagesAreSkippedUpToTheirLimit) {
  const outcome small = demux(stream_with_tag_pages(3));
  EXPECT_FALSE(small.error.has_value());
  EXPECT_EQ(small.packets.size(), 1u);
  EXPECT_EQ(demux(stream_with_tag_pages(limits::max_tags_bytes / (255 * 255) + 1)).error, media_errc::limit_exceeded);
}

TEST(OggMalformed, NegativeStartIsMalformedUnlessTheFirstPageEndsTheStream) {
  std::vector<std::uint8_t> negative = opus_headers();
  page_builder b;
  b.packet(opus_20ms()).packet(opus_20ms()).end_page(negative, 7, 2, 0, 1000);
  b.packet(opus_20ms()).end_page(negative, 7, 3, page_builder::eos, 1960);
  EXPECT_EQ(demux(negative).error, media_errc::malformed);

  std::vector<std::uint8_t> trimmed = opus_headers();
  b.packet(opus_20ms()).packet(opus_20ms()).end_page(trimmed, 7, 2, page_builder::eos, 1000);
  auto demuxer = open_bytes(trimmed);
  EXPECT_EQ(demuxer->info().duration, 1000);
  const auto packets = read_all(*demuxer);
  ASSERT_EQ(packets.size(), 2u);
  EXPECT_EQ(packets[0].timestamp, 0);
  EXPECT_EQ(packets[1].timestamp, 960);

  std::vector<std::uint8_t> below_pre_skip = opus_headers(7, 3840);
  b.packet(opus_20ms()).packet(opus_20ms()).end_page(below_pre_skip, 7, 2, page_builder::eos, 1000);
  EXPECT_EQ(demux(below_pre_skip).error, media_errc::malformed);
}

TEST(OggMalformed, PacketsEndingOnAPageWithoutGranuleCannotStartTheStream) {
  std::vector<std::uint8_t> bytes = opus_headers();
  page_builder b;
  b.packet(opus_20ms()).end_page(bytes, 7, 2, page_builder::eos, -1);
  EXPECT_EQ(demux(bytes).error, media_errc::malformed);
}

TEST(OggMalformed, InvalidOpusPacketsAreMalformed) {
  for (const std::vector<std::uint8_t>& bad : {std::vector<std::uint8_t>{}, std::vector<std::uint8_t>{0xFB, 0x00},
                                               std::vector<std::uint8_t>{0xFB}}) {
    std::vector<std::uint8_t> bytes = opus_headers();
    page_builder b;
    b.packet(bad).end_page(bytes, 7, 2, page_builder::eos, 960);
    EXPECT_EQ(demux(bytes).error, media_errc::malformed) << bad.size() << " bytes";
  }
}

TEST(OggMalformed, UnknownPageVersionIsMalformed) {
  auto bytes = synthetic_opus(2, 2);
  const auto pages = page_offsets(bytes);
  bytes[pages[2] + 4] = 1;
  // Restore a valid CRC so that only the version is wrong.
  ogg_page page{bytes.data() + pages[2], 27 + bytes[pages[2] + 26],
                bytes.data() + pages[2] + 27 + bytes[pages[2] + 26],
                static_cast<long>(pages[3] - pages[2]) - 27 - bytes[pages[2] + 26]};
  ogg_page_checksum_set(&page);
  EXPECT_EQ(demux(bytes).error, media_errc::malformed);
}

TEST(OggMalformed, ALyingSegmentTable) {
  auto bytes = synthetic_opus(6, 3);
  const auto all = demux(bytes).packets;
  const auto pages = page_offsets(bytes);
  // A lacing value changed under an unchanged CRC: the page fails its check and is lost alone.
  auto lying = bytes;
  lying[pages[4] + 27] += 10;
  const outcome lost = demux(lying);
  EXPECT_FALSE(lost.error.has_value());
  EXPECT_EQ(lost.packets.size(), all.size() - 3);
  // A last page that claims more body than the file holds, with a CRC to match: truncated.
  auto longer = bytes;
  const std::size_t last = pages.back();
  longer[last + 27] = 255;
  longer.insert(longer.end(), 255, 0xF8);
  const std::size_t header = 27 + longer[last + 26];
  std::size_t body = 0;
  for (int i = 0; i < longer[last + 26]; ++i) body += longer[last + 27 + i];
  ogg_page page{longer.data() + last, static_cast<long>(header), longer.data() + last + header, static_cast<long>(body)};
  ogg_page_checksum_set(&page);  // over the claimed extent, then the input ends before it does
  longer.resize(last + header + body - 10);
  EXPECT_EQ(demux(longer).error, media_errc::truncated);
}

TEST(OggMalformed, AnEndlessPacketStopsAtThePacketLimit) {
  std::vector<std::uint8_t> bytes = opus_headers();
  page_builder b;
  b.open_packet(segments_of(255)).end_page(bytes, 7, 2, 0, -1);
  for (std::uint32_t i = 3; i < 40; ++i) b.open_packet(segments_of(255)).end_page(bytes, 7, i, page_builder::continued, -1);
  std::uint64_t served = 0;
  int seeks = 0;
  const outcome o = demux(std::make_unique<byte_reader>(std::make_unique<counting_source>(bytes, served, seeks, false)));
  EXPECT_EQ(o.error, media_errc::limit_exceeded);
  EXPECT_LT(served, 2 * limits::max_page_bytes + byte_reader::default_capacity);
}

TEST(OggMalformed, APacketOverThePacketLimitOnOnePage) {
  std::vector<std::uint8_t> bytes = opus_headers();
  page_builder b;
  b.packet(opus_20ms(65'000)).end_page(bytes, 7, 2, page_builder::eos, 960);
  EXPECT_EQ(demux(bytes).error, media_errc::limit_exceeded);
}

TEST(OggMalformed, TooManyStreamsInOneLink) {
  std::vector<std::uint8_t> bytes;
  page_builder b;
  for (std::uint32_t s = 0; s <= limits::max_streams_per_link; ++s)
    b.packet(std::vector<std::uint8_t>{'?', '?'}).end_page(bytes, 100 + s, 0, page_builder::bos, 0);
  EXPECT_EQ(demux(bytes).error, media_errc::limit_exceeded);
}

TEST(OggMalformed, OtherStreamsPagesWithoutOpusPacketsStopAtTheLimit) {
  std::vector<std::uint8_t> bytes;
  page_builder b;
  b.packet(opus_head_bytes()).end_page(bytes, 7, 0, page_builder::bos, 0);
  b.packet(std::vector<std::uint8_t>{'\x01', 'v', 'o', 'r', 'b', 'i', 's'}).end_page(bytes, 8, 0, page_builder::bos, 0);
  b.packet(opus_tags_bytes()).end_page(bytes, 7, 1, 0, 0);
  for (std::uint32_t i = 1; bytes.size() <= limits::max_bytes_without_packet + 100'000; ++i)
    b.open_packet(segments_of(255)).end_page(bytes, 8, i, i > 1 ? page_builder::continued : 0, -1);
  EXPECT_EQ(demux(bytes).error, media_errc::limit_exceeded);
}

TEST(OggMalformed, ANewStreamMidwayStartsANewLink) {
  auto bytes = synthetic_opus(3, 2);
  const auto pages = page_offsets(bytes);
  bytes.resize(pages.back());  // drop the end-of-stream page
  const auto second = synthetic_opus(2, 2);
  bytes.insert(bytes.end(), second.begin(), second.end());
  const outcome o = demux(bytes);
  EXPECT_FALSE(o.error.has_value());
  ASSERT_EQ(o.packets.size(), 8u);
  EXPECT_EQ(o.packets[3].stream_index, 0u);
  EXPECT_EQ(o.packets[4].stream_index, 1u);
  EXPECT_EQ(o.packets[4].timestamp, 4 * 960);
}

TEST(OggMalformed, TrailingJunkAfterTheLastPageIsIgnored) {
  auto bytes = synthetic_opus(3, 2);
  const auto all = demux(bytes).packets;
  bytes.insert(bytes.end(), {'T', 'A', 'G', '!', 'O', 'g'});
  const outcome o = demux(bytes);
  EXPECT_FALSE(o.error.has_value());
  EXPECT_EQ(o.packets, all);
}

}  // namespace
}  // namespace spence::test
