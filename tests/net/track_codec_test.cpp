// lavaplayer's encoded tracks against real encodings published by Lavalink and by client libraries'
// test suites (each cited where it is used): decoded to the fields they were published with, and
// encoded back byte for byte. Versions 1 and 2 read and come back as version 3; an http track's
// probe string and another source's own bytes survive; streams, empty strings and characters
// outside the BMP round-trip; and every kind of malformed input is refused with the field it
// concerns, never read past its end.

#include "net/lavalink/track_codec.hpp"

#include "net/lavalink/base64.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <limits>

namespace spence::net::lavalink {
namespace {

using bytes = std::vector<std::uint8_t>;

decoded_track decoded(std::string_view base64) {
  auto track = decode_track(base64);
  EXPECT_TRUE(track) << (track ? "" : track.error().message());
  return track ? *track : decoded_track{};
}

std::string encoded(const decoded_track& track) {
  auto text = encode_track(track);
  EXPECT_TRUE(text) << (text ? "" : text.error().message());
  return text ? *text : std::string{};
}

bytes message_of(std::string_view base64) { return base64_decode(base64).value(); }

track_codec_error decode_error(std::span<const std::uint8_t> message) {
  auto track = decode_track_message(message);
  EXPECT_FALSE(track);
  return track ? track_codec_error{} : track.error();
}

track_codec_error error_of(track_codec_errc code, std::string field = {}) {
  return {make_error_code(code), std::move(field)};
}

// Lavalink's own docs and protocol tests (lavalink-devs/Lavalink: docs/api/rest.md "Track",
// protocol/src/commonTest/kotlin/LoadResultSerializerTest.kt): a version 2 YouTube track.
constexpr std::string_view lavalink_docs_v2 =
    "QAAAjQIAJVJpY2sgQXN0bGV5IC0gTmV2ZXIgR29ubmEgR2l2ZSBZb3UgVXAADlJpY2tBc3RsZXlWRVZPAAAAAAADPCAAC2RRdzR3OVdnWGNRAAEAK2h0dHBzOi8v"
    "d3d3LnlvdXR1YmUuY29tL3dhdGNoP3Y9ZFF3NHc5V2dYY1EAB3lvdXR1YmUAAAAAAAAAAA==";

// A Track as a Lavalink v4 node returned it, quoted whole in Lavalink4NET's tests
// (angelobreuer/Lavalink4NET, tests/Lavalink4NET.Abstractions.Tests/LavalinkTrackTests.cs,
// TestKnownTrackWithSpecialCharacters): the title ends in U+1F33F, written as two surrogates.
constexpr std::string_view lavalink4net_surrogates_v3 =
    "QAAA2gMAN0NvenkgYW5pbWFsIGNyb3NzaW5nIG11c2ljIHRoYXQgY3VyZSBteSBoZWFkYWNoZXPtoLztvL8AC1RlbmRvIEZhcm1zAAAAAAA/26gACzhUYkx1Qk9D"
    "bFNnAAEAK2h0dHBzOi8vd3d3LnlvdXR1YmUuY29tL3dhdGNoP3Y9OFRiTHVCT0NsU2cBADpodHRwczovL2kueXRpbWcuY29tL3ZpX3dlYnAvOFRiTHVCT0NsU2cv"
    "bWF4cmVzZGVmYXVsdC53ZWJwAAAHeW91dHViZQAAAAAAAAAA";

// The same file's TestTrackDecodeEncodeRoundtripV2/V3: one track in both versions, so version 2
// read and written as version 3 must give the published version 3 bytes. First YouTube, then an
// http track with lavaplayer's probe string ("mp3").
constexpr std::string_view lavalink4net_riptide_v2 =
    "QAAAjAIAJFZhbmNlIEpveSAtICdSaXB0aWRlJyBPZmZpY2lhbCBWaWRlbwAObXVzaHJvb212aWRlb3MAAAAAAAMgyAALdUpfMUhNQUdiNGsAAQAraHR0cHM6Ly93"
    "d3cueW91dHViZS5jb20vd2F0Y2g/dj11Sl8xSE1BR2I0awAHeW91dHViZQAAAAAAAAAA";
constexpr std::string_view lavalink4net_riptide_v3 =
    "QAAAjgMAJFZhbmNlIEpveSAtICdSaXB0aWRlJyBPZmZpY2lhbCBWaWRlbwAObXVzaHJvb212aWRlb3MAAAAAAAMgyAALdUpfMUhNQUdiNGsAAQAraHR0cHM6Ly93"
    "d3cueW91dHViZS5jb20vd2F0Y2g/dj11Sl8xSE1BR2I0awAAAAd5b3V0dWJlAAAAAAAAAAA=";
constexpr std::string_view lavalink4net_http_v2 =
    "QAAAiwIAC0RlYXRoIG9mIE1lAApTQUlOVCBQSE5YAAAAAAAAdVgAKGh0dHBzOi8vd3d3Lm1ib3hkcml2ZS5jb20vc3RhcnRtdXNpYy5tcDMAAQAoaHR0cHM6Ly93"
    "d3cubWJveGRyaXZlLmNvbS9zdGFydG11c2ljLm1wMwAEaHR0cAADbXAzAAAAAAAAAAA=";
constexpr std::string_view lavalink4net_http_v3 =
    "QAAAjQMAC0RlYXRoIG9mIE1lAApTQUlOVCBQSE5YAAAAAAAAdVgAKGh0dHBzOi8vd3d3Lm1ib3hkcml2ZS5jb20vc3RhcnRtdXNpYy5tcDMAAQAoaHR0cHM6Ly93"
    "d3cubWJveGRyaXZlLmNvbS9zdGFydG11c2ljLm1wMwAAAARodHRwAANtcDMAAAAAAAAAAA==";

// The same file, "Previous sample from failing decode": a LavaSrc Spotify track whose source wrote
// its own fields (album name and URL, artist URL and artwork, preview URL, isPreview) after the
// source name: bytes we do not interpret and must give back unchanged.
constexpr std::string_view lavalink4net_spotify_v3 =
    "QAACLgMAIFZvaXMgc3VyIHRvbiBjaGVtaW4gLSBUZWNobm8gTWl4AAdCRU5ORVRUAAAAAAACt+wAFjMxbmZkRW9vTEVxN2RuM1VNY0llQjUAAQA1aHR0cHM6Ly9v"
    "cGVuLnNwb3RpZnkuY29tL3RyYWNrLzMxbmZkRW9vTEVxN2RuM1VNY0llQjUBAEBodHRwczovL2kuc2Nkbi5jby9pbWFnZS9hYjY3NjE2ZDAwMDBiMjczMWI5NmU2"
    "NDUwMTZjNGQ0MzE4NDJhYTkzAQAMREVBNjIyMzAxODAxAAdzcG90aWZ5AQAgVm9pcyBzdXIgdG9uIGNoZW1pbiAoVGVjaG5vIE1peCkBADVodHRwczovL29wZW4u"
    "c3BvdGlmeS5jb20vYWxidW0vNzlDeWM4R1JXbkx5amRKU015SjBkQgEANmh0dHBzOi8vb3Blbi5zcG90aWZ5LmNvbS9hcnRpc3QvMXI0M3dXNzB0bkdVYXVRWXZZ"
    "NXc0OAEAQGh0dHBzOi8vaS5zY2RuLmNvL2ltYWdlL2FiNjc2MTYxMDAwMGU1ZWI4MTFiYzk2N2VlZDNkNjFlMThmZGE0OWIBAGtodHRwczovL3Auc2Nkbi5jby9t"
    "cDMtcHJldmlldy8zMzU0YWZlNDI5NmQyYjg4OWQzNjk2NTgwNGQ0MTRjNWMyYjM0MTJiP2NpZD1kZmI5ZjcxMDNmNDI0M2Q2Yjg5NzcyYjBhZDhmMTkwNgAAAAAA"
    "AAAAAA==";

// disgolink's track_test.go (disgoorg/disgolink): a version 2 track saved mid-play (position set).
constexpr std::string_view disgolink_position_v2 =
    "QAAAfwIAFkFyY2hpdGVjdHMgLSAiQW5pbWFscyIAD0VwaXRhcGggUmVjb3JkcwAAAAAAA70IAAtqZFdoSmNycmpRcwABACtodHRwczovL3d3dy55b3V0dWJlLmNv"
    "bS93YXRjaD92PWpkV2hKY3JyalFzAAd5b3V0dWJlAAAAAAADuiQ=";

// lptrack's test blobs (gieseladev/lptrack, tests/data/blob/Christmas.json, taken from dabbot's
// discord-fm playlists): a version 2 track whose author has a two-byte character (U+00F3).
constexpr std::string_view lptrack_accent_v2 =
    "QAAAiwIAG0xFT05BIExFV0lTIC0gIE8gSE9MWSBOSUdIVAAWT3BjacOzblBvc2l0aXZhICttdXNpYwAAAAAAAp/gAAtTUUJzSVVvUUJsMAABACtodHRwczovL3d3"
    "dy55b3V0dWJlLmNvbS93YXRjaD92PVNRQnNJVW9RQmwwAAd5b3V0dWJlAAAAAAAAAAA=";

// Lavalink4NET's docs/tests again (TestTrackDecoding, "v3"): a version 3 track with artwork.
constexpr std::string_view lavalink4net_artwork_v3 =
    "QAAA2QMAPFJpY2sgQXN0bGV5IC0gTmV2ZXIgR29ubmEgR2l2ZSBZb3UgVXAgKE9mZmljaWFsIE11c2ljIFZpZGVvKQALUmljayBBc3RsZXkAAAAAAANACAALZFF3"
    "NHc5V2dYY1EAAQAraHR0cHM6Ly93d3cueW91dHViZS5jb20vd2F0Y2g/dj1kUXc0dzlXZ1hjUQEANGh0dHBzOi8vaS55dGltZy5jb20vdmkvZFF3NHc5V2dYY1Ev"
    "bWF4cmVzZGVmYXVsdC5qcGcAAAd5b3V0dWJlAAAAAAAAAAA=";

TEST(track_codec, DecodesLavalinksDocumentedTrack) {
  const decoded_track track = decoded(lavalink_docs_v2);
  const track_info expected{.identifier = "dQw4w9WgXcQ",
                            .is_seekable = true,
                            .author = "RickAstleyVEVO",
                            .length_ms = 212000,
                            .is_stream = false,
                            .position_ms = 0,
                            .title = "Rick Astley - Never Gonna Give You Up",
                            .uri = "https://www.youtube.com/watch?v=dQw4w9WgXcQ",
                            .source_name = "youtube",
                            .artwork_url = std::nullopt,
                            .isrc = std::nullopt};
  EXPECT_EQ(track.info, expected);
  EXPECT_FALSE(track.probe_info);
  EXPECT_TRUE(track.source_data.empty());
}

TEST(track_codec, DecodesATrackFromALavalinkV4NodeAndEncodesItBack) {
  const decoded_track track = decoded(lavalink4net_surrogates_v3);
  EXPECT_EQ(track.info.title, "Cozy animal crossing music that cure my headaches\xF0\x9F\x8C\xBF");
  EXPECT_EQ(track.info.author, "Tendo Farms");
  EXPECT_EQ(track.info.length_ms, 4185000);
  EXPECT_EQ(track.info.identifier, "8TbLuBOClSg");
  EXPECT_EQ(track.info.uri, "https://www.youtube.com/watch?v=8TbLuBOClSg");
  EXPECT_EQ(track.info.artwork_url, "https://i.ytimg.com/vi_webp/8TbLuBOClSg/maxresdefault.webp");
  EXPECT_EQ(track.info.isrc, std::nullopt);
  EXPECT_EQ(track.info.source_name, "youtube");
  EXPECT_EQ(encoded(track), lavalink4net_surrogates_v3);
}

TEST(track_codec, Version2ComesBackAsThePublishedVersion3) {
  EXPECT_EQ(encoded(decoded(lavalink4net_riptide_v2)), lavalink4net_riptide_v3);
  EXPECT_EQ(encoded(decoded(lavalink4net_riptide_v3)), lavalink4net_riptide_v3);
  EXPECT_EQ(decoded(lavalink4net_riptide_v2), decoded(lavalink4net_riptide_v3));
  EXPECT_EQ(decoded(lavalink4net_riptide_v3).info.title, "Vance Joy - 'Riptide' Official Video");
}

TEST(track_codec, KeepsAnHttpTracksProbe) {
  const decoded_track track = decoded(lavalink4net_http_v3);
  EXPECT_EQ(track.info.source_name, "http");
  EXPECT_EQ(track.info.identifier, "https://www.mboxdrive.com/startmusic.mp3");
  EXPECT_EQ(track.info.title, "Death of Me");
  EXPECT_EQ(track.info.author, "SAINT PHNX");
  EXPECT_EQ(track.info.length_ms, 30040);
  EXPECT_EQ(track.probe_info, "mp3");
  EXPECT_TRUE(track.source_data.empty());
  EXPECT_EQ(encoded(track), lavalink4net_http_v3);
  EXPECT_EQ(encoded(decoded(lavalink4net_http_v2)), lavalink4net_http_v3);
}

TEST(track_codec, KeepsAnotherSourcesBytesAsTheyAre) {
  const decoded_track track = decoded(lavalink4net_spotify_v3);
  EXPECT_EQ(track.info.source_name, "spotify");
  EXPECT_EQ(track.info.title, "Vois sur ton chemin - Techno Mix");
  EXPECT_EQ(track.info.author, "BENNETT");
  EXPECT_EQ(track.info.length_ms, 178156);
  EXPECT_EQ(track.info.isrc, "DEA622301801");
  EXPECT_EQ(track.info.artwork_url, "https://i.scdn.co/image/ab67616d0000b2731b96e645016c4d431842aa93");
  EXPECT_FALSE(track.probe_info);
  // LavaSrc's fields: a nullable album name first ("present", then its length 0x0020).
  ASSERT_GT(track.source_data.size(), 3u);
  EXPECT_EQ(track.source_data[0], 1);
  EXPECT_EQ(track.source_data[2], 0x20);
  EXPECT_EQ(encoded(track), lavalink4net_spotify_v3);
}

TEST(track_codec, KeepsThePositionOfATrackSavedMidPlay) {
  const decoded_track track = decoded(disgolink_position_v2);
  EXPECT_EQ(track.info.title, "Architects - \"Animals\"");
  EXPECT_EQ(track.info.length_ms, 245000);
  EXPECT_EQ(track.info.position_ms, 244260);
  EXPECT_EQ(decoded(encoded(track)), track);
}

TEST(track_codec, ReadsPublishedTracksOfEveryShape) {
  const decoded_track accent = decoded(lptrack_accent_v2);
  EXPECT_EQ(accent.info.author, "Opci\xC3\xB3nPositiva +music");
  EXPECT_EQ(decoded(encoded(accent)), accent);

  const decoded_track artwork = decoded(lavalink4net_artwork_v3);
  EXPECT_EQ(artwork.info.title, "Rick Astley - Never Gonna Give You Up (Official Music Video)");
  EXPECT_EQ(artwork.info.length_ms, 213000);
  EXPECT_EQ(artwork.info.artwork_url, "https://i.ytimg.com/vi/dQw4w9WgXcQ/maxresdefault.jpg");
  EXPECT_EQ(encoded(artwork), lavalink4net_artwork_v3);
}

// No real version 1 track was found published, so this one is made from Lavalink's documented
// version 2 track by the version 1 rules: no version byte (flag 0) and no uri.
TEST(track_codec, ReadsVersion1WithAndWithoutTheVersionByte) {
  bytes v2 = message_of(lavalink_docs_v2);
  const std::string uri = "https://www.youtube.com/watch?v=dQw4w9WgXcQ";
  // v2 after the header: version, title, author, length, identifier, isStream, 01 + uri, source...
  const auto uri_at = std::search(v2.begin(), v2.end(), uri.begin(), uri.end()) - v2.begin() - 3;  // "01 00 2b"
  ASSERT_EQ(v2[uri_at], 1);
  bytes v1(v2.begin() + 5, v2.begin() + uri_at);  // without header and version
  v1.insert(v1.end(), v2.begin() + uri_at + 3 + uri.size(), v2.end());
  const auto size = static_cast<std::uint32_t>(v1.size());
  bytes unversioned{static_cast<std::uint8_t>(size >> 24), static_cast<std::uint8_t>(size >> 16),
                    static_cast<std::uint8_t>(size >> 8), static_cast<std::uint8_t>(size)};
  unversioned.insert(unversioned.end(), v1.begin(), v1.end());

  decoded_track expected = decoded(lavalink_docs_v2);
  expected.info.uri.reset();
  EXPECT_EQ(decode_track_message(unversioned).value(), expected);

  bytes versioned_1{0x40, 0, 0, static_cast<std::uint8_t>(size + 1), 1};
  versioned_1.insert(versioned_1.end(), v1.begin(), v1.end());
  EXPECT_EQ(decode_track_message(versioned_1).value(), expected);
  // Written as version 3, with "no uri".
  EXPECT_EQ(encode_track_message(expected).value()[4], 3);
}

// The reference notes' constructed example (../shared/reference/lavalink-v4.md section 3), its
// bytes checked by hand against the layout.
TEST(track_codec, WritesTheLayoutByteForByte) {
  decoded_track track;
  track.info.identifier = "id";
  track.info.author = "A";
  track.info.length_ms = 1000;
  track.info.title = "T";
  track.info.uri = "u";
  track.info.source_name = "youtube";
  const bytes expected{0x40, 0x00, 0x00, 0x2b, 0x03, 0x00, 0x01, 'T',  0x00, 0x01, 'A',  0x00, 0x00, 0x00, 0x00, 0x00,
                       0x00, 0x03, 0xe8, 0x00, 0x02, 'i',  'd',  0x00, 0x01, 0x00, 0x01, 'u',  0x00, 0x00, 0x00, 0x07,
                       'y',  'o',  'u',  't',  'u',  'b',  'e',  0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00};
  EXPECT_EQ(encode_track_message(track).value(), expected);
  EXPECT_EQ(encoded(track), "QAAAKwMAAVQAAUEAAAAAAAAD6AACaWQAAQABdQAAAAd5b3V0dWJlAAAAAAAAAAA=");
}

TEST(track_codec, RoundTripsStreamsEmptyStringsAndEveryOptionalField) {
  decoded_track stream;
  stream.info = {.identifier = "https://radio.example/live",
                 .is_seekable = false,
                 .author = "",
                 .length_ms = std::numeric_limits<std::int64_t>::max(),
                 .is_stream = true,
                 .position_ms = 0,
                 .title = "",
                 .uri = "",
                 .source_name = "http",
                 .artwork_url = "https://radio.example/a.png",
                 .isrc = "USRC17607839"};
  stream.probe_info = "mpegts-adts|{\"x\":1}";
  EXPECT_EQ(decoded(encoded(stream)), stream);

  decoded_track local = stream;
  local.info.source_name = "local";
  local.info.title = std::string("nul\0inside", 10);
  local.probe_info.reset();  // as a client library that writes no probe string encodes it
  EXPECT_EQ(decoded(encoded(local)), local);
}

TEST(track_codec, RefusesStringsJavaCannotWrite) {
  decoded_track track = decoded(lavalink_docs_v2);
  track.info.author = std::string(65535, 'a');
  EXPECT_TRUE(encode_track(track));
  track.info.author = std::string(65536, 'a');
  EXPECT_EQ(encode_track(track).error(), error_of(track_codec_errc::string_too_long, "author"));
  track.info.author = "\xC3(";  // not UTF-8
  EXPECT_EQ(encode_track(track).error(), error_of(track_codec_errc::bad_utf8, "author"));
  // 21846 three-byte characters are 65538 bytes: the limit counts bytes, not characters.
  std::string wide;
  for (int i = 0; i < 21846; ++i) wide += "\xE2\x82\xAC";
  track.info.author = "a";
  track.info.isrc = wide;
  EXPECT_EQ(encode_track(track).error(), error_of(track_codec_errc::string_too_long, "isrc"));
}

TEST(track_codec, RefusesMalformedBase64) {
  EXPECT_EQ(decode_track("QAAA jQ==").error(), error_of(track_codec_errc::bad_base64));
  EXPECT_EQ(decode_track("QAAA-Q==").error(), error_of(track_codec_errc::bad_base64));
  EXPECT_EQ(decode_track("").error(), error_of(track_codec_errc::truncated, "header"));
}

TEST(track_codec, RefusesEveryTruncationWithTheFieldItCuts) {
  const bytes whole = message_of(lavalink4net_spotify_v3);
  for (std::size_t size = 0; size < whole.size(); ++size) {
    const std::span<const std::uint8_t> cut(whole.data(), size);
    EXPECT_EQ(decode_error(cut).code, track_codec_errc::truncated) << size;
  }
  // With the header shrunk to match, the fields themselves run out.
  // Header 0-3, version 4, title 5-38, author 39-47, length 48-55, identifier from 56.
  const std::vector<std::pair<std::size_t, std::string>> ends{
      {5, "title"}, {6, "title"}, {20, "title"}, {40, "author"}, {50, "length"}, {57, "identifier"}};
  for (const auto& [end, field] : ends) {
    bytes shrunk(whole.begin(), whole.begin() + static_cast<std::ptrdiff_t>(end));
    const auto size = static_cast<std::uint32_t>(end - 4);
    shrunk[0] = static_cast<std::uint8_t>(0x40 | (size >> 24));
    shrunk[1] = static_cast<std::uint8_t>(size >> 16);
    shrunk[2] = static_cast<std::uint8_t>(size >> 8);
    shrunk[3] = static_cast<std::uint8_t>(size);
    EXPECT_EQ(decode_error(shrunk), error_of(track_codec_errc::truncated, field)) << end;
  }
}

TEST(track_codec, RefusesAMessageTooShortForItsPosition) {
  // Everything up to the source name, then 7 bytes: the position cannot be there.
  bytes message = message_of(lavalink_docs_v2);
  message.resize(message.size() - 1);
  message[3] = static_cast<std::uint8_t>(message[3] - 1);
  EXPECT_EQ(decode_error(message), error_of(track_codec_errc::truncated, "position"));
}

TEST(track_codec, RefusesHeadersThatDoNotMatchTheBytes) {
  bytes message = message_of(lavalink_docs_v2);
  message.push_back(0);
  EXPECT_EQ(decode_error(message), error_of(track_codec_errc::trailing_bytes));
  EXPECT_EQ(decode_error(bytes{0x40, 0, 0, 0}), error_of(track_codec_errc::empty_message));
  EXPECT_EQ(decode_error(bytes{0x7F, 0xFF, 0xFF, 0xFF, 3}), error_of(track_codec_errc::truncated, "message"));
  EXPECT_EQ(decode_error(bytes{0x40, 0, 0}), error_of(track_codec_errc::truncated, "header"));
}

TEST(track_codec, RefusesUnknownVersions) {
  for (const std::uint8_t version : {0, 4, 255}) {
    bytes message = message_of(lavalink4net_riptide_v3);
    message[4] = version;
    EXPECT_EQ(decode_error(message), error_of(track_codec_errc::unknown_version, "version")) << int{version};
  }
}

TEST(track_codec, RefusesStringsThatAreNotModifiedUtf8) {
  // Lavalink4NET's TestTrackDecodeEncodeRoundtripV3 once published this track with its title in
  // standard UTF-8 (F0 9F 8C BF): Java's readUTF refuses that form, and so do we.
  constexpr std::string_view standard_utf8_title =
      "QAAA2AMANUNvenkgYW5pbWFsIGNyb3NzaW5nIG11c2ljIHRoYXQgY3VyZSBteSBoZWFkYWNoZXPwn4y/AAtUZW5kbyBGYXJtcwAAAAAAP9uoAAs4VGJMdUJP"
      "Q2xTZwABACtodHRwczovL3d3dy55b3V0dWJlLmNvbS93YXRjaD92PThUYkx1Qk9DbFNnAQA6aHR0cHM6Ly9pLnl0aW1nLmNvbS92aV93ZWJwLzhUYkx1Qk9D"
      "bFNnL21heHJlc2RlZmF1bHQud2VicAAAB3lvdXR1YmUAAAAAAAKYtw==";
  EXPECT_EQ(decode_track(standard_utf8_title).error(), error_of(track_codec_errc::bad_utf8, "title"));

  // The surrogate pair of the real track cut in half: a high surrogate without its low one.
  bytes message = message_of(lavalink4net_surrogates_v3);
  const std::size_t low_at = 4 + 1 + 2 + 49 + 3;  // header, version, length, 49 ASCII bytes, ED A0 BC
  ASSERT_EQ(message[low_at], 0xED);
  message[low_at] = 'x';
  EXPECT_EQ(decode_error(message), error_of(track_codec_errc::bad_utf8, "title"));
}

TEST(track_codec, RefusesAnHttpTracksSourceBytesThatAreNotOneProbeString) {
  bytes message = message_of(lavalink4net_http_v3);
  // The probe string "mp3" (00 03 'm' 'p' '3') sits before the 8 position bytes.
  const std::size_t probe_at = message.size() - 8 - 5;
  ASSERT_EQ(message[probe_at + 2], 'm');
  bytes longer = message;
  longer[probe_at + 1] = 4;  // says 4 bytes, 3 are there
  EXPECT_EQ(decode_error(longer), error_of(track_codec_errc::bad_source_data, "probe_info"));
  bytes extra = message;
  extra.insert(extra.begin() + static_cast<std::ptrdiff_t>(probe_at + 5), 0x00);  // a byte after the probe
  extra[3] = static_cast<std::uint8_t>(extra[3] + 1);
  EXPECT_EQ(decode_error(extra), error_of(track_codec_errc::bad_source_data, "probe_info"));
  bytes not_utf8 = message;
  not_utf8[probe_at + 2] = 0xFF;
  EXPECT_EQ(decode_error(not_utf8), error_of(track_codec_errc::bad_utf8, "probe_info"));
}

TEST(track_codec, ReadsBooleanBytesAsJavaDoesAndWritesThemCanonically) {
  bytes message = message_of(lavalink4net_riptide_v3);
  decoded_track expected = decoded(lavalink4net_riptide_v3);
  // isStream sits right after the identifier "uJ_1HMAGb4k" (length 11).
  const std::string id = "uJ_1HMAGb4k";
  const auto stream_at = std::search(message.begin(), message.end(), id.begin(), id.end()) - message.begin() + 11;
  ASSERT_EQ(message[stream_at], 0);
  message[stream_at] = 2;
  const decoded_track read = decode_track_message(message).value();
  EXPECT_TRUE(read.info.is_stream);
  EXPECT_FALSE(read.info.is_seekable);
  EXPECT_EQ(encode_track_message(read).value()[stream_at], 1);
}

}  // namespace
}  // namespace spence::net::lavalink
