// Hand-built and damaged files: every rule the reader enforces ends in a media_error naming the
// reason, and nothing crashes, hangs or allocates from a size the input declares.

#include "engine/webm/matroska_ids.hpp"
#include "engine/webm/webm_limits.hpp"
#include "tests/engine/media_fixtures.hpp"
#include "tests/engine/webm/webm_test_support.hpp"

#include <gtest/gtest.h>

namespace spence::test {
namespace {

using engine::media_errc;
namespace id = engine::matroska_id;
using ebml::bytes;

const bytes& packet(std::size_t i) { return webm::real_packets().at(i); }

bytes three_blocks(std::uint64_t track = 1) {
  return ebml::cat({webm::simple_block(track, 0, packet(0)), webm::simple_block(track, 20, packet(1)),
                    webm::simple_block(track, 40, packet(2))});
}

// A WebM file: Info, the Opus track, then the given Clusters and other Segment children.
bytes with_segment(std::initializer_list<std::span<const std::uint8_t>> after_tracks) {
  return webm::file(ebml::cat({webm::info(), webm::opus_tracks(), ebml::cat(after_tracks)}));
}

std::optional<media_errc> outcome(const bytes& file) { return demux_outcome(file); }

std::string error_text(const bytes& file) {
  try {
    const auto demuxer = open_webm_bytes(file);
    read_all(*demuxer);
  } catch (const engine::media_error& e) {
    return e.what();
  }
  return "no error";
}

TEST(WebmBuilt, MinimalFileYieldsItsPacketsWithTimestamps) {
  const auto demuxer = open_webm_bytes(with_segment({webm::cluster(0, three_blocks())}));
  EXPECT_EQ(demuxer->info().codec_delay, 312u);
  EXPECT_FALSE(demuxer->info().duration);
  const auto packets = read_all(*demuxer);
  ASSERT_EQ(packets.size(), 3u);
  for (std::size_t i = 0; i < 3; ++i) {
    EXPECT_EQ(packets[i].data, packet(i));
    EXPECT_EQ(packets[i].timestamp, static_cast<std::int64_t>(960 * i));
  }
}

TEST(WebmBuilt, CodecDelayWinsOverPreSkipWhichIsTheFallback) {
  const auto tracks_with = [](std::optional<std::uint64_t> delay_ns) {
    return ebml::master(id::tracks, {webm::track(1, "A_OPUS", webm::opus_head(2, 999), delay_ns)});
  };
  const auto delay_of = [](const bytes& tracks) {
    return open_webm_bytes(webm::file(ebml::cat({tracks, webm::cluster(0, three_blocks())})))->info().codec_delay;
  };
  EXPECT_EQ(delay_of(tracks_with(std::nullopt)), 999u);
  EXPECT_EQ(delay_of(tracks_with(10'000'000)), 480u);
  EXPECT_EQ(outcome(webm::file(tracks_with(std::uint64_t{2'000'000'000}))), media_errc::malformed);  // 2 s
}

TEST(WebmBuilt, TimestampScaleAndDuration) {
  // No Info: 1 ms ticks.
  const auto no_info = webm::file(ebml::cat({webm::opus_tracks(), webm::cluster(1000, three_blocks())}));
  EXPECT_EQ(read_all(*open_webm_bytes(no_info)).at(1).timestamp, 48'000 + 960);
  // 20832 ns ticks, as mkvmerge writes for Opus; Duration in ticks.
  const auto info = ebml::master(id::info, {ebml::float_element(id::duration, 48'000.0), ebml::uint_element(id::timestamp_scale, 20832)});
  const auto scaled = webm::file(ebml::cat({info, webm::opus_tracks(), webm::cluster(48'000, three_blocks())}));
  const auto demuxer = open_webm_bytes(scaled);
  EXPECT_EQ(demuxer->info().duration, 47'997);  // 48000 ticks of 20832 ns
  EXPECT_EQ(read_all(*demuxer).at(0).timestamp, 47'997);
  const auto zero = ebml::master(id::info, {ebml::uint_element(id::timestamp_scale, 0)});
  EXPECT_EQ(outcome(webm::file(ebml::cat({zero, webm::opus_tracks()}))), media_errc::malformed);
  const auto negative = ebml::master(id::info, {ebml::float_element(id::duration, -5.0)});
  EXPECT_EQ(outcome(webm::file(ebml::cat({negative, webm::opus_tracks()}))), media_errc::malformed);
}

TEST(WebmBuilt, LacedFramesAdvanceByTheSamplesBeforeThem) {
  const bytes& a = packet(0);
  const bytes& b = packet(1);
  const bytes& c = packet(2);
  const auto xiph_size = [](std::size_t n) {
    bytes out(n / 255, 255);
    out.push_back(static_cast<std::uint8_t>(n % 255));
    return out;
  };
  const bytes xiph = ebml::cat({bytes{2}, xiph_size(a.size()), xiph_size(b.size()), a, b, c});
  const auto diff = static_cast<std::int64_t>(b.size()) - static_cast<std::int64_t>(a.size());
  const bytes ebml_lace = ebml::cat({bytes{2}, ebml::vint(a.size(), 2), ebml::vint(static_cast<std::uint64_t>(diff + 8191), 2), a, b, c});
  const bytes fixed = ebml::cat({bytes{2}, a, a, a});
  for (const auto& [flags, lace, frames] : {std::tuple{std::uint8_t{0x82}, xiph, std::vector{a, b, c}},
                                            std::tuple{std::uint8_t{0x86}, ebml_lace, std::vector{a, b, c}},
                                            std::tuple{std::uint8_t{0x84}, fixed, std::vector{a, a, a}}}) {
    SCOPED_TRACE(static_cast<int>(flags));
    const auto block = ebml::element(id::simple_block, ebml::block_payload(1, 10, flags, lace));
    const auto packets = read_all(*open_webm_bytes(with_segment({webm::cluster(100, block)})));
    ASSERT_EQ(packets.size(), 3u);
    std::int64_t t = 110 * 48;
    for (std::size_t i = 0; i < 3; ++i) {
      EXPECT_EQ(packets[i].data, frames[i]);
      EXPECT_EQ(packets[i].timestamp, t);
      t += opus_samples(frames[i]);
    }
  }
}

TEST(WebmBuilt, BlockGroupsOtherTracksVoidsCrcsAndUnknownElementsAreHandled) {
  const bytes void_element = ebml::element(id::void_element, bytes(5, 0));
  const bytes crc = ebml::element(id::crc32, bytes(4, 0xAB));
  const bytes unknown = ebml::element(0x4321, bytes(3, 7));
  const bytes zero_void = ebml::element(id::void_element, {});
  const bytes group = ebml::master(id::block_group, {crc, ebml::uint_element(0x9B, 20), unknown,
                                                     ebml::element(id::block, ebml::block_payload(1, 20, 0, packet(1))),
                                                     ebml::uint_element(0xFB, 1), void_element});
  const bytes other_group = ebml::master(id::block_group, {ebml::element(id::block, ebml::block_payload(2, 25, 0, bytes(9, 1)))});
  const bytes cluster = ebml::master(
      id::cluster, {crc, ebml::uint_element(id::cluster_timestamp, 0), void_element, webm::simple_block(7, 0, bytes(40, 3)),
                    webm::simple_block(1, 0, packet(0)), unknown, other_group, group, zero_void,
                    webm::simple_block(2, 30, bytes(3, 3)), webm::simple_block(1, 40, packet(2))});
  const bytes tracks = ebml::master(id::tracks, {crc, webm::track(2, "V_VP8", {}), unknown,
                                                 webm::track(1, "A_OPUS", webm::opus_head(), 6'500'000, ebml::cat({void_element, unknown}))});
  const bytes file = ebml::cat({webm::ebml_header(), void_element, crc,
                                ebml::master(id::segment, {void_element, unknown, webm::info(), tracks, ebml::element(id::tags, bytes(30, 1)),
                                                           ebml::element(id::cluster, {}), cluster, zero_void})});
  const auto packets = read_all(*open_webm_bytes(file));
  ASSERT_EQ(packets.size(), 3u);
  for (std::size_t i = 0; i < 3; ++i) EXPECT_EQ(packets[i].data, packet(i));
  EXPECT_EQ(packets[1].timestamp, 960);
}

TEST(WebmBuilt, NotWebmOrEmptyIsUnsupportedFormat) {
  EXPECT_EQ(outcome({}), media_errc::unsupported_format);
  EXPECT_EQ(outcome(bytes{'O', 'g', 'g', 'S', 0, 2}), media_errc::unsupported_format);
  EXPECT_EQ(outcome(webm::file(ebml::cat({webm::opus_tracks()}), "mp4x")), media_errc::unsupported_format);
  const auto read_version_2 = ebml::master(id::ebml, {ebml::uint_element(id::ebml_read_version, 2), ebml::string_element(id::doc_type, "webm")});
  EXPECT_EQ(outcome(read_version_2), media_errc::unsupported_format);
  EXPECT_EQ(outcome(ebml::master(id::ebml, {ebml::uint_element(0x4286, 1)})), media_errc::unsupported_format);  // no DocType
  EXPECT_EQ(outcome(webm::file(webm::opus_tracks(), "matroska")), std::nullopt);
}

TEST(WebmBuilt, MissingPiecesAreErrors) {
  EXPECT_EQ(outcome(webm::ebml_header()), media_errc::truncated);                                   // no Segment
  EXPECT_EQ(outcome(ebml::cat({webm::ebml_header(), webm::info()})), media_errc::malformed);          // not a Segment
  EXPECT_EQ(outcome(webm::file(ebml::cat({webm::info(), webm::cluster(0, three_blocks())}))), media_errc::malformed);  // no Tracks
  const auto no_head = ebml::master(id::tracks, {webm::track(1, "A_OPUS", {})});
  EXPECT_EQ(outcome(webm::file(no_head)), media_errc::malformed);
  const auto no_number = ebml::master(id::tracks, {webm::track(0, "A_OPUS", webm::opus_head())});
  EXPECT_EQ(outcome(webm::file(no_number)), media_errc::malformed);
  // A block before its Cluster's Timestamp.
  const auto late_timestamp = ebml::master(id::cluster, {webm::simple_block(1, 0, packet(0)), ebml::uint_element(id::cluster_timestamp, 0)});
  EXPECT_EQ(outcome(with_segment({late_timestamp})), media_errc::malformed);
}

TEST(WebmBuilt, TracksWithoutOpusNameWhatTheyHold) {
  const auto only = [](std::initializer_list<std::span<const std::uint8_t>> entries) {
    return error_text(webm::file(ebml::master(id::tracks, entries)));
  };
  EXPECT_NE(only({webm::track(1, "V_VP9", {}), webm::track(2, "A_VORBIS", bytes(30, 2))}).find("audio codec A_VORBIS"), std::string::npos);
  EXPECT_NE(only({webm::track(1, "V_VP9", {})}).find("no audio track (tracks: V_VP9)"), std::string::npos);
  EXPECT_EQ(outcome(webm::file(ebml::element(id::tracks, {}))), media_errc::unsupported_codec);  // zero-size Tracks
  // Compressed or encrypted frames are not the encoder's packets.
  const auto encoded = ebml::master(id::tracks, {webm::track(1, "A_OPUS", webm::opus_head(), std::nullopt,
                                                             ebml::master(id::content_encodings, {ebml::element(0x6240, {})}))});
  EXPECT_EQ(outcome(webm::file(encoded)), media_errc::unsupported_codec);
}

TEST(WebmBuilt, ZeroSizeElements) {
  EXPECT_EQ(outcome(with_segment({ebml::element(id::cluster, {}), ebml::element(id::void_element, {}), ebml::element(id::tags, {}),
                                  webm::cluster(0, three_blocks())})),
            std::nullopt);
  EXPECT_EQ(outcome(with_segment({webm::cluster(0, ebml::element(id::simple_block, {}))})), media_errc::malformed);
  EXPECT_EQ(outcome(with_segment({webm::cluster(0, ebml::element(id::block_group, {}))})), std::nullopt);
  const auto empty_private = ebml::master(id::tracks, {webm::track(1, "A_OPUS", {}, std::nullopt, ebml::element(id::codec_private, {}))});
  EXPECT_EQ(outcome(webm::file(empty_private)), media_errc::malformed);
}

TEST(WebmBuilt, InvalidOpusPacketsAreMalformed) {
  // An empty frame, and a code 3 packet announcing 0 frames.
  EXPECT_EQ(outcome(with_segment({webm::cluster(0, webm::simple_block(1, 0, {}))})), media_errc::malformed);
  EXPECT_EQ(outcome(with_segment({webm::cluster(0, webm::simple_block(1, 0, bytes{0x03, 0x00}))})), media_errc::malformed);
}

TEST(WebmBuilt, LyingSizes) {
  const bytes cluster = webm::cluster(0, three_blocks());
  const auto head = ebml::cat({webm::info(), webm::opus_tracks()});
  // A Cluster announcing more than its Segment holds.
  EXPECT_EQ(outcome(webm::file(ebml::cat({head, ebml::header(id::cluster, 1'000'000), cluster}))), media_errc::malformed);
  // A block announcing more than its Cluster holds.
  const auto block_lies = ebml::master(id::cluster, {ebml::uint_element(id::cluster_timestamp, 0), ebml::header(id::simple_block, 500), packet(0)});
  EXPECT_EQ(outcome(webm::file(ebml::cat({head, block_lies}))), media_errc::malformed);
  // Tracks announcing 2^50 bytes: more than the Segment (known size), or past the limit (live).
  const auto huge_tracks = ebml::cat({ebml::header(id::tracks, std::uint64_t{1} << 50), webm::opus_tracks()});
  EXPECT_EQ(outcome(webm::file(huge_tracks)), media_errc::malformed);
  EXPECT_EQ(outcome(ebml::cat({webm::ebml_header(), ebml::unknown_size_header(id::segment), huge_tracks})), media_errc::limit_exceeded);
  // An EBML header of 2^40 bytes.
  EXPECT_EQ(outcome(ebml::cat({ebml::id(id::ebml), ebml::vint(std::uint64_t{1} << 40), webm::ebml_header()})), media_errc::limit_exceeded);
  // A Segment longer than the file: the packets, then truncated.
  const auto segment_lies = ebml::cat({webm::ebml_header(), ebml::header(id::segment, 1'000'000), head, cluster});
  const auto demuxer = open_webm_bytes(segment_lies);
  for (int i = 0; i < 3; ++i) EXPECT_TRUE(demuxer->next());
  try {
    demuxer->next();
    FAIL() << "no error";
  } catch (const engine::media_error& e) {
    EXPECT_EQ(e.code(), media_errc::truncated);
    EXPECT_NE(std::string(e.what()).find("memory: at byte"), std::string::npos) << e.what();
  }
  // An unknown size where only Segment and Cluster may have one.
  EXPECT_EQ(outcome(webm::file(ebml::cat({ebml::unknown_size_header(id::tracks), webm::opus_tracks()}))), media_errc::malformed);
  EXPECT_EQ(outcome(with_segment({webm::cluster(0, ebml::cat({ebml::unknown_size_header(id::block_group), three_blocks()}))})),
            media_errc::malformed);
}

TEST(WebmBuilt, SizeLimits) {
  // A block of the Opus track over 1 MiB is refused; another track's is skipped unread.
  const bytes big(engine::webm_limits::max_block + 1, 0x55);
  EXPECT_EQ(outcome(with_segment({webm::cluster(0, webm::simple_block(1, 0, big))})), media_errc::limit_exceeded);
  EXPECT_EQ(outcome(with_segment({webm::cluster(0, ebml::cat({webm::simple_block(2, 0, big), three_blocks()}))})), std::nullopt);
  // Tracks over 1 MiB.
  const auto fat_tracks = ebml::master(id::tracks, {webm::track(1, "A_OPUS", webm::opus_head(), std::nullopt, bytes(big.size(), 0xEC))});
  EXPECT_EQ(outcome(webm::file(fat_tracks)), media_errc::limit_exceeded);
}

TEST(WebmBuilt, DeepNestingIsSkippedWithoutRecursion) {
  // 100 000 BlockGroups, each inside the previous one, then a block: the reader never descends.
  const bytes nested = ebml::nested(id::block_group, 100'000, ebml::element(id::block, ebml::block_payload(1, 0, 0, packet(0))));
  const auto packets = read_all(*open_webm_bytes(with_segment({webm::cluster(0, ebml::cat({nested, three_blocks()}))})));
  EXPECT_EQ(packets.size(), 3u);  // the nested Block is two levels too deep to count
  // TrackEntries nested 10 000 deep hold no track the reader sees.
  const bytes entry = ebml::nested(id::track_entry, 10'000, webm::track(1, "A_OPUS", webm::opus_head()));
  EXPECT_EQ(outcome(webm::file(ebml::element(id::tracks, entry))), media_errc::unsupported_codec);
}

TEST(WebmBuilt, BadCuesAreMalformedWhenSeeking) {
  const bytes cluster = webm::cluster(0, three_blocks());
  const auto cues_at = [](std::uint64_t position) {
    return ebml::master(id::cues, {ebml::master(id::cue_point, {ebml::uint_element(id::cue_time, 0),
                                                                ebml::master(id::cue_track_positions, {ebml::uint_element(id::cue_track, 1),
                                                                                                        ebml::uint_element(id::cue_cluster_position, position)})})});
  };
  const auto head = ebml::cat({webm::info(), webm::opus_tracks()});
  const auto seek_error = [&](const bytes& cues) {
    const auto demuxer = open_webm_bytes(webm::file(ebml::cat({head, cues, cluster})));
    EXPECT_EQ(read_all(*demuxer).size(), 3u);
    try {
      demuxer->seek(0);
    } catch (const engine::media_error& e) {
      return std::optional(e.code());
    }
    return std::optional<media_errc>();
  };
  EXPECT_EQ(seek_error(cues_at(0)), media_errc::malformed);          // points at Info, not a Cluster
  EXPECT_EQ(seek_error(cues_at(1'000'000)), media_errc::malformed);  // past the Segment
  const auto no_time = ebml::master(id::cues, {ebml::master(id::cue_point, {})});
  EXPECT_EQ(seek_error(no_time), media_errc::malformed);
  // A correct cue: the seek works.
  const auto cues_size = cues_at(0).size();
  EXPECT_EQ(seek_error(cues_at(head.size() + cues_size)), std::nullopt);
}

TEST(WebmBuilt, ACueThatSkipsTooFarFallsBackToClusterTimestamps) {
  // The cue says time 0 is in the second Cluster, which starts at 1 s: the packets before the
  // target are in the first one.
  const bytes first = webm::cluster(0, three_blocks());
  const bytes second = webm::cluster(1000, three_blocks());
  const auto head = ebml::cat({webm::info(), webm::opus_tracks()});
  const auto cues_at = [](std::uint32_t position) {  // four bytes whatever the value: a fixed size
    const bytes be{static_cast<std::uint8_t>(position >> 24), static_cast<std::uint8_t>(position >> 16),
                   static_cast<std::uint8_t>(position >> 8), static_cast<std::uint8_t>(position)};
    return ebml::master(id::cues, {ebml::master(id::cue_point, {ebml::uint_element(id::cue_time, 0),
                                                                ebml::master(id::cue_track_positions, {ebml::uint_element(id::cue_track, 1),
                                                                                                        ebml::element(id::cue_cluster_position, be)})})});
  };
  const auto cues = cues_at(static_cast<std::uint32_t>(head.size() + cues_at(0).size() + first.size()));
  const auto demuxer = open_webm_bytes(webm::file(ebml::cat({head, cues, first, second})));
  read_all(*demuxer);
  EXPECT_EQ(demuxer->seek(1000), 960);
  EXPECT_EQ(demuxer->next()->timestamp, 960);
  EXPECT_EQ(demuxer->next()->timestamp, 1920);
  EXPECT_EQ(demuxer->next()->timestamp, 48'000);
}

// Every prefix of real files: a truncated download ends in an error, never a crash or a clean end.
void expect_prefixes_fail(const bytes& file, std::size_t dense, std::size_t stride) {
  for (std::size_t n = 0; n < file.size(); n += n < dense ? 1 : stride) {
    const auto result = demux_outcome(bytes(file.begin(), file.begin() + static_cast<std::ptrdiff_t>(n)));
    ASSERT_TRUE(result == media_errc::truncated || result == media_errc::unsupported_format)
        << "prefix " << n << ": " << (result ? engine::make_error_code(*result).message() : "clean end");
  }
}

TEST(WebmTruncated, EveryPrefixOfFilesWithKnownSizesFails) {
  // Densely through the headers and first blocks, then sparsely.
  expect_prefixes_fail(read_file(fixture("ff_stereo_20ms.webm")), 3000, 211);
  expect_prefixes_fail(read_file(fixture("mkv_xiph.mka")), 6000, 397);
  expect_prefixes_fail(read_file(fixture("ff_video_audio.webm")), 2000, 197);
}

TEST(WebmTruncated, PrefixesOfLiveStreamsEndCleanlyOrFail) {
  const auto live = with_unknown_sizes(read_file(fixture("mkv_xiph.mka")));
  std::size_t clean = 0;
  for (std::size_t n = 0; n < live.size(); n += n < 6000 ? 3 : 373) {
    for (const bool seekable : {true, false}) {
      if (!demux_outcome(bytes(live.begin(), live.begin() + static_cast<std::ptrdiff_t>(n)), seekable)) ++clean;
    }
  }
  EXPECT_GT(clean, 0u);  // a live stream may stop between two elements
}

TEST(WebmCorrupted, EveryByteOfTheHeadersFlipped) {
  const auto file = read_file(fixture("ff_stereo_20ms.webm"));
  const auto small = bytes(file.begin(), file.begin() + 20'000);
  for (std::size_t i = 0; i < 1200; ++i) {
    for (const std::uint8_t value : {std::uint8_t{0x00}, std::uint8_t{0xFF}, static_cast<std::uint8_t>(small[i] ^ 0x40)}) {
      bytes damaged = small;
      damaged[i] = value;
      demux_outcome(damaged);  // any outcome but a crash, a hang or a foreign exception
    }
  }
}

// A valid live head (unknown-size Segment), then a tail that never ends.
std::optional<media_errc> endless_outcome(const bytes& after_head, endless_source::filler tail, std::uint64_t* served = nullptr) {
  const bytes head = ebml::cat({webm::ebml_header(), ebml::unknown_size_header(id::segment), webm::info(), webm::opus_tracks(), after_head});
  const auto counter = std::make_shared<std::uint64_t>(0);
  std::optional<media_errc> result;
  try {
    const auto demuxer = open_webm_source(std::make_unique<endless_source>(head, std::move(tail), counter));
    while (demuxer->next()) {
    }
  } catch (const engine::media_error& e) {
    result = e.code();
  }
  if (served) *served = *counter;
  return result;
}

TEST(WebmEndless, JunkForeverEndsInAnErrorWithinABound) {
  const bytes open_cluster = ebml::cat({ebml::unknown_size_header(id::cluster), ebml::uint_element(id::cluster_timestamp, 0)});
  for (std::uint32_t seed = 1; seed <= 20; ++seed) {
    std::uint64_t served = 0;
    EXPECT_TRUE(endless_outcome(open_cluster, random_bytes(seed), &served)) << seed;
    EXPECT_LT(served, 300ull << 20) << seed;
  }
  // Valid but empty elements forever: zero-size Voids, in a Cluster and before any Cluster.
  EXPECT_EQ(endless_outcome(open_cluster, repeating({0xEC, 0x80})), media_errc::limit_exceeded);
  EXPECT_EQ(endless_outcome({}, repeating({0xEC, 0x80})), media_errc::limit_exceeded);
  // Clusters without blocks forever.
  EXPECT_EQ(endless_outcome({}, repeating(open_cluster)), media_errc::limit_exceeded);
  // Another track's blocks forever.
  EXPECT_EQ(endless_outcome(open_cluster, repeating(webm::simple_block(9, 0, bytes(100, 1)))), media_errc::limit_exceeded);
  // 16 MiB Voids forever: the read-through bound.
  bytes big_void = ebml::cat({ebml::id(id::void_element), ebml::vint(16u << 20, 8)});
  big_void.resize(big_void.size() + (16u << 20), 0);
  std::uint64_t served = 0;
  EXPECT_EQ(endless_outcome(open_cluster, repeating(big_void), &served), media_errc::limit_exceeded);
  EXPECT_LT(served, 300ull << 20);
  // Real packets forever are a live stream, not junk: they keep coming.
  const auto demuxer = open_webm_source(std::make_unique<endless_source>(
      ebml::cat({webm::ebml_header(), ebml::unknown_size_header(id::segment), webm::opus_tracks(), open_cluster}),
      repeating(webm::simple_block(1, 0, packet(0)))));
  for (int i = 0; i < 200'000; ++i) ASSERT_TRUE(demuxer->next());
}

}  // namespace
}  // namespace spence::test
