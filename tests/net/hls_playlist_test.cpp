// HLS playlists (RFC 8216's forms): media playlists with relative and absolute segment URIs, live
// and ended; master playlists and the variant spence picks; what makes one unplayable here; and
// text that is not a playlist, which is a reason, never an exception.

#include "net/http/hls_playlist.hpp"
#include "net/http/playlist_file.hpp"

#include <gtest/gtest.h>

namespace spence::net {
namespace {

constexpr std::string_view base = "https://cdn.example/a/b/playlist.m3u8?sig=1";

TEST(hls_playlist, a_media_playlist_lists_its_segments_resolved) {
  const auto p = parse_hls_playlist("#EXTM3U\r\n#EXT-X-VERSION:3\r\n#EXT-X-TARGETDURATION:10\r\n"
                                    "#EXT-X-MEDIA-SEQUENCE:7\r\n#EXTINF:9.97,\r\nseg-0.mp3\r\n"
                                    "# a comment\r\n#EXTINF:10,title\r\n/abs/seg-1.mp3\r\n"
                                    "#EXTINF:4.5\r\nhttp://other.example/seg-2.mp3\r\n#EXT-X-ENDLIST\r\n",
                                    base);
  ASSERT_TRUE(p) << p.error();
  EXPECT_FALSE(p->master);
  EXPECT_TRUE(p->ended);
  EXPECT_EQ(p->target_duration_s, 10);
  ASSERT_EQ(p->segments.size(), 3u);
  EXPECT_EQ(p->segments[0].uri, "https://cdn.example/a/b/seg-0.mp3");
  EXPECT_EQ(p->segments[0].sequence, 7u);
  EXPECT_DOUBLE_EQ(p->segments[0].duration_s, 9.97);
  EXPECT_EQ(p->segments[1].uri, "https://cdn.example/abs/seg-1.mp3");
  EXPECT_EQ(p->segments[2].uri, "http://other.example/seg-2.mp3");
  EXPECT_EQ(p->segments[2].sequence, 9u);
  EXPECT_TRUE(p->key_method.empty());
}

TEST(hls_playlist, a_live_playlist_has_no_end_and_encryption_and_fmp4_are_noted) {
  const auto live = parse_hls_playlist("#EXTM3U\n#EXT-X-TARGETDURATION:6\n#EXT-X-KEY:METHOD=NONE\n#EXTINF:6,\na.ts\n", base);
  ASSERT_TRUE(live) << live.error();
  EXPECT_FALSE(live->ended);
  EXPECT_TRUE(live->key_method.empty());
  const auto encrypted = parse_hls_playlist(
      "#EXTM3U\n#EXT-X-TARGETDURATION:6\n#EXT-X-KEY:METHOD=AES-128,URI=\"key, 1\",IV=0x1\n#EXTINF:6,\na.ts\n", base);
  ASSERT_TRUE(encrypted) << encrypted.error();
  EXPECT_EQ(encrypted->key_method, "AES-128");
  const auto fmp4 = parse_hls_playlist("#EXTM3U\n#EXT-X-TARGETDURATION:6\n#EXT-X-MAP:URI=\"init.mp4\"\n#EXTINF:6,\na.m4s\n", base);
  ASSERT_TRUE(fmp4);
  EXPECT_TRUE(fmp4->has_map);
}

TEST(hls_playlist, a_master_playlist_plays_its_audio_only_or_cheapest_variant) {
  const auto p = parse_hls_playlist(
      "#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=800000,CODECS=\"avc1.4d401f,mp4a.40.2\",RESOLUTION=640x360\nvideo.m3u8\n"
      "#EXT-X-STREAM-INF:BANDWIDTH=128000,CODECS=\"avc1.42e00a,mp4a.40.2\"\nsmall-video.m3u8\n"
      "#EXT-X-STREAM-INF:BANDWIDTH=160000,CODECS=\"opus\"\naudio-hi.m3u8\n"
      "#EXT-X-STREAM-INF:BANDWIDTH=96000,CODECS=\"mp4a.40.34\"\naudio-lo.m3u8\n",
      base);
  ASSERT_TRUE(p) << p.error();
  ASSERT_TRUE(p->master);
  ASSERT_EQ(p->variants.size(), 4u);
  EXPECT_EQ(choose_variant(*p)->uri, "https://cdn.example/a/b/audio-lo.m3u8");
  const auto no_codecs = parse_hls_playlist(
      "#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=500\nb.m3u8\n#EXT-X-STREAM-INF:BANDWIDTH=200\nc.m3u8\n", base);
  ASSERT_TRUE(no_codecs);
  EXPECT_EQ(choose_variant(*no_codecs)->uri, "https://cdn.example/a/b/c.m3u8");
}

TEST(hls_playlist, malformed_playlists_are_reasons) {
  const std::vector<std::string> bad = {
      "",
      "<html>not a playlist</html>",
      "#EXTM3Ux\n#EXT-X-TARGETDURATION:1\n",
      "#EXTM3U\n#EXTINF:1,\nseg.mp3\n",                                     // no target duration
      "#EXTM3U\n#EXT-X-TARGETDURATION:ten\n",                              // not a number
      "#EXTM3U\n#EXT-X-TARGETDURATION:1\n#EXTINF:-1,\nseg.mp3\n",          // negative duration
      "#EXTM3U\n#EXT-X-TARGETDURATION:1\n#EXTINF:nan,\nseg.mp3\n",
      "#EXTM3U\n#EXT-X-TARGETDURATION:1\nseg.mp3\n",                       // a URI without EXTINF
      "#EXTM3U\n#EXT-X-TARGETDURATION:1\n#EXTINF:1,\nftp://x/seg.mp3\n",   // not http(s)
      "#EXTM3U\n#EXT-X-TARGETDURATION:1\n#EXTINF:1,\nhttp://[bad\n",       // does not parse
      "#EXTM3U\n#EXT-X-STREAM-INF:CODECS=\"opus\"\na.m3u8\n",              // no bandwidth
      "#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=1\n",                          // a master without a variant
      "#EXTM3U\n#EXT-X-TARGETDURATION:1\n#EXT-X-KEY:URI=\"k\"\n",          // a key without a method
      "#EXTM3U\n#EXT-X-TARGETDURATION:1\n#EXTINF:1,\n" + std::string(9000, 'a') + "\n",
  };
  for (const auto& text : bad) EXPECT_FALSE(parse_hls_playlist(text, base)) << text.substr(0, 80);
  EXPECT_FALSE(parse_hls_playlist("#EXTM3U\n#EXT-X-TARGETDURATION:1\n", "not a url"));
  std::string many = "#EXTM3U\n#EXT-X-TARGETDURATION:1\n";
  for (std::size_t i = 0; i <= max_hls_entries; ++i) many += "#EXTINF:1,\ns.mp3\n";
  const auto too_many = parse_hls_playlist(many, base);
  ASSERT_FALSE(too_many);
  EXPECT_NE(too_many.error().find("more than"), std::string::npos);
}

TEST(playlist_file, pls_and_m3u_give_their_first_entry) {
  auto entry = first_pls_entry("[playlist]\r\nNumberOfEntries=2\r\nFile2=http://b/2\r\nFile1=http://a:8000/live\r\n"
                               "Title1=Radio\r\nVersion=2\r\n", base);
  ASSERT_TRUE(entry) << entry.error();
  EXPECT_EQ(*entry, "http://a:8000/live");
  entry = first_m3u_entry("#EXTM3U\n#EXTINF:-1,Radio\nstream.mp3\nhttp://b/2\n", base);
  ASSERT_TRUE(entry) << entry.error();
  EXPECT_EQ(*entry, "https://cdn.example/a/b/stream.mp3");
  EXPECT_FALSE(first_pls_entry("File1=http://a/", base));           // no [playlist]
  EXPECT_FALSE(first_pls_entry("[playlist]\nTitle1=x\n", base));    // no entry
  EXPECT_FALSE(first_pls_entry("[playlist]\nFile1=file:///etc/passwd\n", base));
  EXPECT_FALSE(first_pls_entry("[playlist]\nFile1=http:/no/host\n", base));  // found by fuzz_hls_playlist
  EXPECT_FALSE(first_m3u_entry("#EXTM3U\n# only comments\n", base));
  EXPECT_FALSE(first_m3u_entry("", base));
}

}  // namespace
}  // namespace spence::net
