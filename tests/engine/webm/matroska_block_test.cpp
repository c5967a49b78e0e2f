// The EBML primitives and block lacing, on hand-made bytes: each rule the parsers enforce.

#include "engine/webm/ebml_children.hpp"
#include "engine/webm/ebml_element.hpp"
#include "engine/webm/ebml_vint.hpp"
#include "engine/webm/matroska_block.hpp"
#include "engine/webm/matroska_time.hpp"
#include "tests/engine/webm/ebml_builder.hpp"

#include <gtest/gtest.h>

#include <numeric>

namespace spence::engine {
namespace {

namespace ebml = test::ebml;

media_errc error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const media_error& e) {
    return e.code();
  }
  ADD_FAILURE() << "no media_error";
  return media_errc::io;
}

TEST(EbmlVint, DecodesEveryLengthAndTheUnknownMarker) {
  for (std::size_t length = 1; length <= 8; ++length) {
    const auto bytes = ebml::vint(5, length);
    const auto v = decode_ebml_vint(bytes);
    ASSERT_TRUE(v);
    EXPECT_EQ(v->value, 5u);
    EXPECT_EQ(v->length, length);
    EXPECT_FALSE(v->all_ones);
  }
  EXPECT_TRUE(decode_ebml_vint(std::vector<std::uint8_t>{0xFF})->all_ones);
  EXPECT_TRUE(decode_ebml_vint(ebml::unknown_size)->all_ones);
  EXPECT_FALSE(decode_ebml_vint(std::vector<std::uint8_t>{0x00, 1, 2, 3, 4, 5, 6, 7, 8}));  // longer than 8
  EXPECT_FALSE(decode_ebml_vint(std::vector<std::uint8_t>{0x40}));                          // cut short
  EXPECT_EQ(ebml_vint_length(0x00), 0u);
}

TEST(EbmlElement, RejectsLongIdsAndSizesAndReportsCutHeaders) {
  const std::vector<std::uint8_t> long_id{0x08, 1, 2, 3, 4, 0x81};
  EXPECT_EQ(error_of([&] { decode_ebml_element(long_id, 0, "t"); }), media_errc::malformed);
  const std::vector<std::uint8_t> long_size{0xEC, 0x00, 0, 0, 0, 0, 0, 0, 0, 1};
  EXPECT_EQ(error_of([&] { decode_ebml_element(long_size, 0, "t"); }), media_errc::malformed);
  const std::vector<std::uint8_t> cut{0x1A, 0x45, 0xDF, 0xA3, 0x40};
  EXPECT_EQ(error_of([&] { decode_ebml_element(cut, 0, "t"); }), media_errc::truncated);
  const auto unknown = decode_ebml_element(ebml::unknown_size_header(0x1F43B675), 100, "t");
  EXPECT_EQ(unknown.id, 0x1F43B675u);
  EXPECT_FALSE(unknown.size);
  EXPECT_EQ(unknown.body_start, 112u);
}

TEST(EbmlChildren, ChecksSizesAgainstTheParentAndDecodesPayloads) {
  const auto body = ebml::cat({ebml::uint_element(0xD7, 300), ebml::float_element(0x4489, 2.5),
                               ebml::string_element(0x86, std::string("A_OPUS\0\0", 8)), ebml::element(0xEC, {})});
  ebml_children children(body, 1000, "t");
  const auto a = children.next();
  EXPECT_EQ(children.read_uint(*a), 300u);
  EXPECT_EQ(a->offset, 1000u);
  EXPECT_DOUBLE_EQ(children.read_float(*children.next()), 2.5);
  EXPECT_EQ(children.read_string(*children.next()), "A_OPUS");
  EXPECT_TRUE(children.next()->body.empty());  // a zero-size element
  EXPECT_FALSE(children.next());

  const auto lying = ebml::cat({ebml::header(0xD7, 9), std::vector<std::uint8_t>{1, 2}});
  EXPECT_EQ(error_of([&] { ebml_children(lying, 0, "t").next(); }), media_errc::malformed);
  const auto unknown = ebml::cat({ebml::unknown_size_header(0xAE), std::vector<std::uint8_t>{1}});
  EXPECT_EQ(error_of([&] { ebml_children(unknown, 0, "t").next(); }), media_errc::malformed);
  const auto wide = ebml::element(0xD7, std::vector<std::uint8_t>(9, 1));
  ebml_children wide_children(wide, 0, "t");
  EXPECT_EQ(error_of([&] { wide_children.read_uint(*wide_children.next()); }), media_errc::malformed);
  const auto odd_float = ebml::element(0x4489, std::vector<std::uint8_t>(3, 1));
  ebml_children float_children(odd_float, 0, "t");
  EXPECT_EQ(error_of([&] { float_children.read_float(*float_children.next()); }), media_errc::malformed);
}

std::vector<std::uint8_t> frame_bytes(std::size_t size, std::uint8_t fill) { return std::vector<std::uint8_t>(size, fill); }

std::vector<std::size_t> frame_sizes(const matroska_block& block) {
  std::vector<std::size_t> sizes;
  for (const auto f : block.frames) sizes.push_back(f.size());
  return sizes;
}

TEST(MatroskaBlock, UnlacedBlockIsOneFrame) {
  const auto payload = ebml::block_payload(3, -7, 0x80, frame_bytes(10, 1));
  const auto block = parse_matroska_block(payload, 0, "t");
  EXPECT_EQ(block.track, 3u);
  EXPECT_EQ(block.relative_timestamp, -7);
  EXPECT_EQ(frame_sizes(block), std::vector<std::size_t>{10});
}

TEST(MatroskaBlock, XiphLacingWithSizesOfAndAbove255) {
  // Sizes 255 (coded 255 0), 600 (255 255 90), then the last frame takes the rest: 7.
  const auto lace = ebml::cat({std::vector<std::uint8_t>{2, 255, 0, 255, 255, 90}, frame_bytes(255, 1), frame_bytes(600, 2),
                               frame_bytes(7, 3)});
  const auto payload = ebml::block_payload(1, 0, 0x02, lace);
  const auto block = parse_matroska_block(payload, 0, "t");
  EXPECT_EQ(frame_sizes(block), (std::vector<std::size_t>{255, 600, 7}));
  EXPECT_EQ(block.frames[1][0], 2);
  EXPECT_EQ(block.frames[2][0], 3);
}

TEST(MatroskaBlock, EbmlLacingWithSignedDifferences) {
  // 300, then -100 (200), then +50 (250); the last takes the rest (4). The 1-byte signed form
  // subtracts 63 and the 2-byte one 8191.
  const auto lace = ebml::cat({std::vector<std::uint8_t>{3}, ebml::vint(300), ebml::vint(8191 - 100, 2), ebml::vint(63 + 50, 1),
                               frame_bytes(300, 1), frame_bytes(200, 2), frame_bytes(250, 3), frame_bytes(4, 4)});
  const auto payload = ebml::block_payload(1, 0, 0x06, lace);
  const auto block = parse_matroska_block(payload, 0, "t");
  EXPECT_EQ(frame_sizes(block), (std::vector<std::size_t>{300, 200, 250, 4}));
}

TEST(MatroskaBlock, FixedLacingSplitsEvenly) {
  const auto lace = ebml::cat({std::vector<std::uint8_t>{3}, frame_bytes(40, 9)});
  const auto payload = ebml::block_payload(1, 0, 0x04, lace);
  const auto block = parse_matroska_block(payload, 0, "t");
  EXPECT_EQ(frame_sizes(block), (std::vector<std::size_t>{10, 10, 10, 10}));
}

TEST(MatroskaBlock, LaceCountOf256Frames) {
  const auto lace = ebml::cat({std::vector<std::uint8_t>{255}, frame_bytes(256, 9)});
  const auto payload = ebml::block_payload(1, 0, 0x04, lace);
  EXPECT_EQ(parse_matroska_block(payload, 0, "t").frames.size(), 256u);
}

TEST(MatroskaBlock, SizesThatContradictThePayloadAreMalformed) {
  const auto malformed = [](std::uint8_t flags, const std::vector<std::uint8_t>& rest) {
    return error_of([&] { parse_matroska_block(ebml::block_payload(1, 0, flags, rest), 0, "t"); });
  };
  EXPECT_EQ(malformed(0x02, {1, 200, 1, 2}), media_errc::malformed);               // Xiph size past the end
  EXPECT_EQ(malformed(0x02, {1, 255, 255}), media_errc::malformed);                // Xiph sizes cut short
  EXPECT_EQ(malformed(0x04, {2, 1, 2, 3, 4}), media_errc::malformed);              // 4 bytes in 3 frames
  EXPECT_EQ(malformed(0x06, {2, 0x82, 0x80, 1, 1}), media_errc::malformed);        // 2, then 2 - 63 < 0
  EXPECT_EQ(malformed(0x06, {1, 0x00, 1}), media_errc::malformed);                // invalid size VINT
  EXPECT_EQ(malformed(0x02, {}), media_errc::malformed);                           // no lace count
  EXPECT_EQ(error_of([] { parse_matroska_block(std::vector<std::uint8_t>{0x81, 0}, 0, "t"); }), media_errc::malformed);
  EXPECT_EQ(error_of([] { parse_matroska_block(std::vector<std::uint8_t>{}, 0, "t"); }), media_errc::malformed);
}

TEST(MatroskaTime, TicksRoundToTheNearestSampleAndOverflowIsRefused) {
  EXPECT_EQ(matroska_ticks_to_samples(std::int64_t{20}, 1'000'000), 960);
  EXPECT_EQ(matroska_ticks_to_samples(std::int64_t{-7}, 1'000'000), -336);
  // mkvmerge's 20832 ns ticks: 7680 ticks is 7679.508 samples.
  EXPECT_EQ(matroska_ticks_to_samples(std::int64_t{7680}, 20832), 7680);
  EXPECT_EQ(matroska_ticks_to_samples(std::uint64_t{6'500'000}, 1), 312);
  EXPECT_FALSE(matroska_ticks_to_samples(std::int64_t{1} << 62, 1'000'000));
  EXPECT_FALSE(matroska_ticks_to_samples(~std::uint64_t{0}, 1));
  EXPECT_EQ(matroska_duration_to_samples(3008.0, 1'000'000), 144384);
  EXPECT_FALSE(matroska_duration_to_samples(-1.0, 1'000'000));
  EXPECT_FALSE(matroska_duration_to_samples(std::numeric_limits<double>::quiet_NaN(), 1'000'000));
  EXPECT_FALSE(matroska_duration_to_samples(1e300, 1'000'000));
}

}  // namespace
}  // namespace spence::engine
