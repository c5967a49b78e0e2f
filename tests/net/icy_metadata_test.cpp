// ICY metadata: block texts as Icecast and SHOUTcast write them (titles with apostrophes, NUL
// padding, Latin-1), text that is not such pairs, and the demuxer taking an interleaved body apart
// in whatever pieces it arrives in.

#include "net/http/icy_metadata.hpp"

#include "tests/net/icy_interleave.hpp"

#include <gtest/gtest.h>

#include <random>

namespace spence::net {
namespace {

TEST(icy_metadata, a_block_gives_its_title_and_url) {
  auto fields = parse_icy_metadata("StreamTitle='Guns N' Roses - Patience';StreamUrl='http://x/';" + std::string(3, '\0'));
  ASSERT_TRUE(fields);
  EXPECT_EQ(fields->stream_title, "Guns N' Roses - Patience");
  EXPECT_EQ(fields->stream_url, "http://x/");
  // The last pair may end at the text's end; unknown keys are skipped; an empty title is a title.
  fields = parse_icy_metadata("Other='1';StreamTitle=''");
  ASSERT_TRUE(fields);
  EXPECT_EQ(fields->stream_title, "");
  EXPECT_FALSE(fields->stream_url);
}

TEST(icy_metadata, latin1_and_control_characters_become_clean_utf8) {
  auto fields = parse_icy_metadata("StreamTitle='Caf\xE9\x01 Tacvba';");
  ASSERT_TRUE(fields);
  EXPECT_EQ(fields->stream_title, "Caf\xC3\xA9 Tacvba");
  fields = parse_icy_metadata("StreamTitle='Caf\xC3\xA9';");
  ASSERT_TRUE(fields);
  EXPECT_EQ(fields->stream_title, "Caf\xC3\xA9");
  const auto long_title = parse_icy_metadata("StreamTitle='" + std::string(4000, 'a') + "';");
  ASSERT_TRUE(long_title);
  EXPECT_EQ(long_title->stream_title->size(), 1024u);
}

TEST(icy_metadata, text_that_is_not_pairs_is_malformed) {
  for (const std::string& text : std::vector<std::string>{"garbage", "StreamTitle=no quotes;", "='x';", "StreamTitle='unterminated",
                                 std::string("\xFF\xFE=", 3)})
    EXPECT_FALSE(parse_icy_metadata(text)) << text;
  EXPECT_TRUE(parse_icy_metadata(std::string(32, '\0')));  // an all-padding block says nothing
}

TEST(icy_demuxer, pieces_of_any_size_give_the_audio_and_the_blocks) {
  std::vector<std::uint8_t> audio(100'000);
  for (std::size_t i = 0; i < audio.size(); ++i) audio[i] = static_cast<std::uint8_t>(i * 7 + i / 251);
  const std::vector<std::string> blocks = {"StreamTitle='One';", "", "StreamTitle='Two';StreamUrl='';"};
  const auto body = test::with_icy_blocks(audio, 1000, blocks);
  std::mt19937 random(7);
  for (int round = 0; round < 20; ++round) {
    icy_demuxer demuxer(1000);
    std::vector<std::uint8_t> got;
    std::vector<std::string> texts;
    for (std::size_t at = 0; at < body.size();) {
      const std::size_t n = std::min<std::size_t>(body.size() - at, 1 + random() % 3000);
      demuxer.feed(std::span(body).subspan(at, n), got, texts);
      at += n;
    }
    ASSERT_EQ(got, audio);
    ASSERT_EQ(texts.size(), 2u);  // the empty block is not reported
    EXPECT_EQ(parse_icy_metadata(texts[0])->stream_title, "One");
    EXPECT_EQ(parse_icy_metadata(texts[1])->stream_title, "Two");
  }
}

TEST(icy_demuxer, the_longest_block_and_garbage_lengths_never_overrun) {
  // A length byte of 255 announces 4080 bytes: whatever follows is taken as metadata, not audio.
  std::vector<std::uint8_t> body(10, 1);
  body.push_back(255);
  body.insert(body.end(), 4080, 'x');
  body.insert(body.end(), 10, 2);
  icy_demuxer demuxer(10);
  std::vector<std::uint8_t> audio;
  std::vector<std::string> texts;
  demuxer.feed(body, audio, texts);
  EXPECT_EQ(audio.size(), 20u);
  ASSERT_EQ(texts.size(), 1u);
  EXPECT_EQ(texts[0].size(), 4080u);
  EXPECT_FALSE(parse_icy_metadata(texts[0]));
}

}  // namespace
}  // namespace spence::net
