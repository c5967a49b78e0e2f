// open_http_media and the sources behind it, through a real http_client against the loopback
// fault server, on media ffmpeg encodes at test time (make-http-media-fixtures.sh): what the
// Content-Type and the first bytes make of a URL, Icecast streams with interleaved metadata,
// HLS playlists (ended, live, master, refused kinds), and a stream URL that expires mid-stream.

#include "net/http/http_media_open.hpp"

#include "engine/media_error.hpp"
#include "engine/media_open.hpp"
#include "engine/memory_source.hpp"
#include "net/http/reopening_source.hpp"
#include "resolvers/probed_media_resolver.hpp"
#include "tests/engine/media_fixtures.hpp"
#include "tests/engine/stream_source.hpp"
#include "tests/net/http_fault_server.hpp"
#include "tests/net/icy_interleave.hpp"
#include "tests/net/quick_http_options.hpp"

#include <boost/asio/thread_pool.hpp>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <cstring>

namespace spence::net {
namespace {

using namespace std::chrono_literals;
using engine::media_errc;
using engine::media_error;
using test::http_fault_server;
using lavalink_kind = lavalink::load_result::kind;

// Everything a track's media gives, in order: Opus packets (size, timestamp, bytes) or PCM
// samples (as bytes). Two sources decode identically when these are equal.
std::vector<std::uint8_t> decode_media(engine::opened_media& media) {
  std::vector<std::uint8_t> out;
  const auto append = [&out](const void* data, std::size_t n) {
    const auto* bytes = static_cast<const std::uint8_t*>(data);
    out.insert(out.end(), bytes, bytes + n);
  };
  if (media.opus) {
    while (auto packet = media.opus->next()) {
      const std::uint64_t head[2] = {packet->data.size(), static_cast<std::uint64_t>(packet->timestamp)};
      append(head, sizeof head);
      append(packet->data.data(), packet->data.size());
    }
  } else {
    for (;;) {
      const auto block = media.pcm->read(4096);
      if (block.frames() == 0) break;
      append(block.samples.data(), block.samples.size_bytes());
    }
  }
  return out;
}

std::vector<std::uint8_t> decode_all(std::unique_ptr<engine::byte_source> source) {
  auto media = engine::open_media(std::move(source));
  return decode_media(media);
}

// The reference: the same bytes as a stream that cannot seek (as every network stream here).
std::vector<std::uint8_t> decode_stream(const std::vector<std::uint8_t>& bytes) {
  return decode_all(std::make_unique<test::stream_source>(bytes, 4096));
}

// An Icecast stream of `media`: a block every `metaint` bytes, with these titles where not empty.
std::vector<std::uint8_t> icy_stream(const std::vector<std::uint8_t>& media, std::size_t metaint,
                                     const std::vector<std::string>& titles) {
  std::vector<std::string> texts;
  for (const auto& title : titles) texts.push_back(title.empty() ? "" : fmt::format("StreamTitle='{}';StreamUrl='';", title));
  return test::with_icy_blocks(media, metaint, texts);
}

// The reference for a source that can seek (a server that serves ranges): the bytes as a file.
std::vector<std::uint8_t> decode_file(const std::vector<std::uint8_t>& bytes) {
  return decode_all(std::make_unique<engine::memory_source>(bytes, "file"));
}

std::vector<std::uint8_t> as_bytes(std::string_view text) { return {text.begin(), text.end()}; }

class http_media_test : public ::testing::Test {
 protected:
  void TearDown() override {
    client_.reset();
    pool_.join();
  }

  std::unique_ptr<engine::byte_source> open(std::string_view target) {
    return open_http_media(*client_, server_.url(target), test::quick_http_options());
  }
  // The media_error opening and decoding `target` gives (nullopt when it plays).
  std::optional<media_error> failure_of(std::string_view target) {
    try {
      decode_all(open(target));
    } catch (const media_error& e) {
      return e;
    }
    return std::nullopt;
  }

  const std::vector<std::uint8_t> mp3_ = test::read_file(test::fixture("stream.mp3"));
  const std::vector<std::uint8_t> opus_ = test::read_file(test::fixture("stream.opus"));
  http_fault_server server_;
  boost::asio::thread_pool pool_{2};
  std::optional<http_client> client_{std::in_place, pool_.get_executor()};
};

TEST_F(http_media_test, media_types_play_and_pages_are_an_unknown_format) {
  server_.set_content("mp3", mp3_);
  server_.set_content("page", as_bytes("<!doctype html><html><body>Listen live!</body></html>"));
  EXPECT_EQ(decode_all(open("/f?content=mp3&type=audio/mpeg")), decode_file(mp3_));
  const auto page = failure_of("/f?content=page&type=text/html%3B%20charset=utf-8");
  ASSERT_TRUE(page);
  EXPECT_EQ(page->code(), media_errc::unsupported_format);
  EXPECT_NE(std::string(page->what()).find("Unknown file format."), std::string::npos) << page->what();
  // An unknown or missing type is sniffed: media is media, a page without a type is still refused.
  server_.set_content("opus", opus_);
  EXPECT_EQ(decode_all(open("/f?content=opus&type=application/octet-stream")), decode_file(opus_));
  EXPECT_EQ(decode_all(open("/f?content=opus")), decode_file(opus_));
  const auto untyped_page = failure_of("/f?content=page");
  ASSERT_TRUE(untyped_page);
  EXPECT_EQ(untyped_page->code(), media_errc::unsupported_format);
}

TEST_F(http_media_test, playlist_files_lead_to_their_first_stream) {
  server_.set_content("opus", opus_);
  server_.set_content("pls", as_bytes(fmt::format("[playlist]\nFile1={}\nTitle1=Radio\n", server_.url("/f?content=opus"))));
  server_.set_content("m3u", as_bytes("#EXTM3U\n#EXTINF:-1,Radio\n/f?content=opus\n"));
  EXPECT_EQ(decode_all(open("/f?content=pls&type=audio/x-scpls")), decode_file(opus_));
  EXPECT_EQ(decode_all(open("/f?content=m3u&type=audio/x-mpegurl")), decode_file(opus_));
  EXPECT_EQ(decode_all(open("/f?content=pls&type=text/plain")), decode_file(opus_));  // sniffed
  // A playlist naming itself is followed a bounded number of times.
  server_.set_content("loop", as_bytes("#EXTM3U\n/f?content=loop&type=audio/x-mpegurl\n"));
  const auto loop = failure_of("/f?content=loop&type=audio/x-mpegurl");
  ASSERT_TRUE(loop);
  EXPECT_EQ(loop->code(), media_errc::limit_exceeded);
}

// An Icecast stream with metadata every 8000 bytes decodes exactly as the clean stream does, and
// its StreamTitle is the latest one sent.
TEST_F(http_media_test, icy_metadata_is_stripped_and_its_title_kept) {
  for (const auto* media : {&mp3_, &opus_}) {
    server_.set_content("icy", icy_stream(*media, 8000, {"", "First Song", "", "Caf\xE9 - Second", ""}));
    auto source = open("/f?content=icy&type=audio/mpeg&icy=8000&icy_name=Fixture%20FM");
    EXPECT_FALSE(source->seekable());
    const auto* raw = source.get();  // owned by `opened` from here on
    auto opened = engine::open_media(std::move(source));
    EXPECT_EQ(decode_media(opened), decode_stream(*media));
    EXPECT_EQ(raw->stream_title(), "Caf\xC3\xA9 - Second");
  }
  // A SHOUTcast v1 server's "ICY 200 OK" is not HTTP/1.x (curl reads it as HTTP/0.9, which it
  // refuses, as lavaplayer's client does): an error saying so, not a crash.
  const auto shoutcast = failure_of("/f?content=icy&type=audio/mpeg&icy=8000&icy_status=1");
  ASSERT_TRUE(shoutcast);
  EXPECT_NE(std::string(shoutcast->what()).find("HTTP/0.9"), std::string::npos) << shoutcast->what();
  const auto requests = server_.requests();
  ASSERT_FALSE(requests.empty());
  EXPECT_EQ(requests.back().icy_metadata, "1");
}

// Through Lavalink's http source: a radio stream is a titled stream (its StreamTitle, or its
// station before the first), and what is not media an error saying so.
TEST_F(http_media_test, as_lavalink_tracks_radio_streams_are_titled_streams_and_pages_errors) {
  resolvers::probed_media_resolver resolver(resolvers::platform::http, [this](const std::string& where) {
    return open_http_media(*client_, where, test::quick_http_options());
  });
  const auto load = [&](std::string_view target) {
    return resolver.load({resolvers::platform::http, resolvers::route_kind::url, server_.url(target)});
  };
  server_.set_content("icy", icy_stream(mp3_, 100, {"Artist - Now Playing"}));
  auto radio = load("/f?content=icy&type=audio/mpeg&icy=100&icy_name=Fixture%20FM");
  ASSERT_EQ(radio.type, lavalink_kind::track) << radio.message;
  EXPECT_EQ(radio.tracks.at(0).info.title, "Artist - Now Playing");
  EXPECT_TRUE(radio.tracks.at(0).info.is_stream);
  EXPECT_FALSE(radio.tracks.at(0).info.is_seekable);
  // The station's name while no StreamTitle has come: the stream holds before its first block.
  server_.set_content("quiet", icy_stream(mp3_, 30000, {"Later"}));
  auto quiet = load("/f?content=quiet&type=audio/mpeg&icy=30000&icy_name=Fixture%20FM&hold_after=20000");
  ASSERT_EQ(quiet.type, lavalink_kind::track) << quiet.message;
  EXPECT_EQ(quiet.tracks.at(0).info.title, "Fixture FM");
  server_.release();
  server_.set_content("page", as_bytes("<html><body>Listen live!</body></html>"));
  server_.set_content("noise", std::vector<std::uint8_t>(4096, 0x5A));
  for (const auto* target : {"/f?content=page&type=text/html", "/f?content=noise&type=application/octet-stream"}) {
    auto refused = load(target);
    EXPECT_EQ(refused.type, lavalink_kind::error) << target;
    EXPECT_NE(refused.message.find("Unknown file format."), std::string::npos) << refused.message;
  }
}

// `media` cut into `count` segments at arbitrary bytes (contents seg0...), and a media playlist of
// them (relative URIs), ended or not.
std::string cut_into_segments(http_fault_server& server, const std::vector<std::uint8_t>& media, std::size_t count,
                              std::size_t listed, bool ended) {
  const std::size_t piece = (media.size() + count - 1) / count;
  std::string playlist = "#EXTM3U\n#EXT-X-TARGETDURATION:1\n#EXT-X-MEDIA-SEQUENCE:0\n";
  for (std::size_t i = 0; i < count; ++i) {
    const auto first = media.begin() + static_cast<std::ptrdiff_t>(std::min(media.size(), i * piece));
    const auto last = media.begin() + static_cast<std::ptrdiff_t>(std::min(media.size(), (i + 1) * piece));
    server.set_content(fmt::format("seg{}", i), {first, last});
    if (i < listed) playlist += fmt::format("#EXTINF:0.6,\nf?content=seg{}&type=audio/ogg\n", i);
  }
  return ended ? playlist + "#EXT-X-ENDLIST\n" : playlist;
}

TEST_F(http_media_test, an_hls_playlist_plays_its_segments_as_one_stream) {
  server_.set_content("hls", as_bytes(cut_into_segments(server_, opus_, 5, 5, true)));
  auto source = open("/f?content=hls&type=application/vnd.apple.mpegurl");
  EXPECT_FALSE(source->seekable());
  EXPECT_EQ(decode_all(std::move(source)), decode_stream(opus_));
  // A master playlist: the audio-only variant, though a video one comes first and costs more.
  server_.set_content("master", as_bytes("#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=900000,CODECS=\"avc1.4d401f,mp4a.40.2\"\n"
                                         "f?content=nothing\n#EXT-X-STREAM-INF:BANDWIDTH=100000,CODECS=\"opus\"\n"
                                         "f?content=hls&type=application/vnd.apple.mpegurl\n"));
  EXPECT_EQ(decode_all(open("/f?content=master&type=application/x-mpegurl")), decode_stream(opus_));
}

// A live playlist lists two segments; a second later it has all five and has ended: the stream
// waits for the refresh and goes on where it was.
TEST_F(http_media_test, a_live_playlist_is_fetched_again_for_its_new_segments) {
  server_.set_content("live", as_bytes(cut_into_segments(server_, opus_, 5, 2, false)));
  auto source = open("/f?content=live");  // no type: sniffed by its #EXTM3U
  std::thread grow([this] {
    std::this_thread::sleep_for(300ms);
    server_.set_content("live", as_bytes(cut_into_segments(server_, opus_, 5, 5, true)));
  });
  const auto decoded = decode_all(std::move(source));
  grow.join();
  EXPECT_EQ(decoded, decode_stream(opus_));
  int playlist_requests = 0;
  for (const auto& r : server_.requests()) playlist_requests += r.target.find("content=live") != std::string::npos;
  EXPECT_GE(playlist_requests, 2);
}

TEST_F(http_media_test, hls_that_spence_cannot_play_says_why) {
  const std::string head = "#EXTM3U\n#EXT-X-TARGETDURATION:1\n";
  server_.set_content("aes", as_bytes(head + "#EXT-X-KEY:METHOD=AES-128,URI=\"k\"\n#EXTINF:1,\nf?content=seg0\n#EXT-X-ENDLIST\n"));
  server_.set_content("fmp4", as_bytes(head + "#EXT-X-MAP:URI=\"init.mp4\"\n#EXTINF:1,\nf?content=seg0\n#EXT-X-ENDLIST\n"));
  std::vector<std::uint8_t> ts(188 * 4, 0xFF);
  for (std::size_t i = 0; i < ts.size(); i += 188) ts[i] = 0x47;
  server_.set_content("ts", ts);
  server_.set_content("tslist", as_bytes(head + "#EXTINF:1,\nf?content=ts\n#EXT-X-ENDLIST\n"));
  server_.set_content("broken", as_bytes("#EXTM3U\n#EXT-X-TARGETDURATION:1\n#EXTINF:x,\nseg.mp3\n"));
  const std::pair<const char*, const char*> cases[] = {{"aes", "encrypted HLS (EXT-X-KEY METHOD=AES-128)"},
                                                       {"fmp4", "fMP4"},
                                                       {"tslist", "MPEG-TS"},
                                                       {"broken", "HLS playlist: line 3"}};
  for (const auto& [content, words] : cases) {
    const auto failure = failure_of(fmt::format("/f?content={}&type=application/vnd.apple.mpegurl", content));
    ASSERT_TRUE(failure) << content;
    EXPECT_NE(std::string(failure->what()).find(words), std::string::npos) << failure->what();
  }
  // A segment the server refuses ends the stream with its status.
  server_.set_content("gone", as_bytes(head + "#EXTINF:1,\nf?status=404\n#EXT-X-ENDLIST\n"));
  const auto gone = failure_of("/f?content=gone&type=application/vnd.apple.mpegurl");
  ASSERT_TRUE(gone);
  EXPECT_EQ(gone->http_status(), 404);
}

// The stream URL expires after 40,000 bytes (the connection drops and the same URL now answers
// 403): the resolver's stand-in hands a new URL, the stream goes on from byte 40,000, and the
// decode is the file's, every frame once and in order.
TEST_F(http_media_test, an_expired_stream_url_is_located_again_and_resumed_at_its_position) {
  server_.set_content("mp3", mp3_);
  int located = 0;
  const auto locate = [&] {
    ++located;
    return server_.url(fmt::format("/f?content=mp3&type=audio/mpeg&token={}{}", located,
                                   located == 1 ? "&expire=1&drop_after=40000" : ""));
  };
  auto reopening = std::make_unique<reopening_source>(open_http_media(*client_, locate(), test::quick_http_options()), [&] {
    return open_http_media(*client_, locate(), test::quick_http_options());
  });
  EXPECT_EQ(decode_all(std::move(reopening)), decode_file(mp3_));
  EXPECT_EQ(located, 2);
  // The old URL was asked again only to resume (with Range); the new one took over from there.
  int old_without_range = 0;
  for (const auto& r : server_.requests()) old_without_range += r.target.find("token=1") != std::string::npos && r.range.empty();
  EXPECT_EQ(old_without_range, 1);
}

TEST_F(http_media_test, a_new_url_refused_too_ends_the_stream_with_the_refusal) {
  server_.set_content("mp3", mp3_);
  int located = 0;
  const auto locate = [&] {
    ++located;
    return server_.url("/f?content=mp3&type=audio/mpeg&expire=1&drop_after=40000");  // always the same, expired
  };
  auto reopening = std::make_unique<reopening_source>(open_http_media(*client_, locate(), test::quick_http_options()), [&] {
    return open_http_media(*client_, locate(), test::quick_http_options());
  });
  try {
    decode_all(std::move(reopening));
    ADD_FAILURE() << "decoded an expired stream";
  } catch (const media_error& e) {
    EXPECT_EQ(e.http_status(), 403) << e.what();
  }
  EXPECT_EQ(located, 2);
}

}  // namespace
}  // namespace spence::net
