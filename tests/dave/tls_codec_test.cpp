// The MLS wire codec: integers, the three <V> length forms at their boundaries (and RFC 9420's own
// examples), the shortest-form rule, nested vectors whose errors name the path, optional presence,
// and every malformed input refused with the field it concerns, without reading past the input.
// What the writer writes, the reader reads back. The MLS working group's deserialization vectors
// (every <V> header form) read and write exactly.

#include "net/dave/mls/tls_reader.hpp"
#include "net/dave/mls/tls_writer.hpp"

#include "tests/dave/mls_vectors.hpp"

#include <gtest/gtest.h>

#include <limits>

namespace spence::net::dave::mls {
namespace {

using test::error_in;

mls_error error_of(mls_errc code, std::string field) { return make_mls_error(code, std::move(field)); }

bytes written(tls_writer writer) { return std::move(writer).finish().value(); }

TEST(TlsCodec, ReadsBigEndianIntegers) {
  const bytes input{0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x0e, 0x0f};
  tls_reader reader(input);
  EXPECT_EQ(reader.u8("a").value(), 0x01);
  EXPECT_EQ(reader.u16("b").value(), 0x0203);
  EXPECT_EQ(reader.u32("c").value(), 0x04050607u);
  EXPECT_EQ(reader.u64("d").value(), 0x08090a0b0c0d0e0full);
  EXPECT_TRUE(reader.empty());
  EXPECT_TRUE(reader.finish());
}

TEST(TlsCodec, WritesBigEndianIntegers) {
  tls_writer writer;
  writer.u8(0xfe);
  writer.u16(0x0102);
  writer.u32(0xa1b2c3d4);
  writer.u64(std::numeric_limits<std::uint64_t>::max() - 1);
  EXPECT_EQ(written(std::move(writer)), (bytes{0xfe, 0x01, 0x02, 0xa1, 0xb2, 0xc3, 0xd4, 0xff, 0xff, 0xff, 0xff, 0xff,
                                               0xff, 0xff, 0xfe}));
}

TEST(TlsCodec, ReadsRfc9420VarintExamples) {
  // RFC 9420 2.1.2: 0x9d7f3e7d is 494878333, 0x7bbd is 15293, 0x25 is 37.
  const bytes input{0x9d, 0x7f, 0x3e, 0x7d, 0x7b, 0xbd, 0x25};
  tls_reader reader(input);
  EXPECT_EQ(reader.varint("four").value(), 494878333u);
  EXPECT_EQ(reader.varint("two").value(), 15293u);
  EXPECT_EQ(reader.varint("one").value(), 37u);
  EXPECT_TRUE(reader.empty());
}

TEST(TlsCodec, VarintFormsRoundTripAtTheirBoundaries) {
  const std::pair<std::uint32_t, std::size_t> cases[] = {
      {0, 1}, {63, 1}, {64, 2}, {16383, 2}, {16384, 4}, {(1u << 30) - 1, 4}};
  for (const auto& [value, size] : cases) {
    tls_writer writer;
    writer.varint(value, "length");
    const bytes out = written(std::move(writer));
    EXPECT_EQ(out.size(), size) << value;
    tls_reader reader(out);
    EXPECT_EQ(reader.varint("length").value(), value);
    EXPECT_TRUE(reader.empty());
  }
}

TEST(TlsCodec, MatchesTheDeserializationVectors) {
  const auto vectors = test::load_vectors("deserialization.json");
  int ran = 0;
  for (const auto& vector : vectors.as_array()) {
    const bytes header = test::hex_field(vector, "vlbytes_header");
    const auto length = vector.at("length").to_number<std::uint64_t>();
    tls_reader reader(header);
    EXPECT_EQ(reader.varint("length").value(), length) << test::to_hex(header);
    EXPECT_TRUE(reader.empty());
    tls_writer writer;
    writer.varint(length, "length");
    EXPECT_EQ(written(std::move(writer)), header);
    ++ran;
  }
  EXPECT_GT(ran, 0);
  test::report_vectors("deserialization.json", ran);
}

TEST(TlsCodec, RefusesVarintsNotInTheirShortestForm) {
  // 37 in two bytes (RFC 9000's example of a valid QUIC varint; MLS requires the shortest form),
  // 63 in two, 16383 in four.
  for (const bytes& input : {bytes{0x40, 0x25}, bytes{0x40, 0x3f}, bytes{0x80, 0x00, 0x3f, 0xff}}) {
    tls_reader reader(input);
    EXPECT_EQ(error_in(reader.varint("length")), error_of(mls_errc::non_minimal_varint, "length"));
    EXPECT_EQ(reader.remaining(), input.size());  // nothing consumed
  }
}

TEST(TlsCodec, RefusesTheReservedVarintPrefix) {
  const bytes input{0xc0, 0, 0, 0, 0, 0, 0, 1};
  tls_reader reader(input);
  EXPECT_EQ(error_in(reader.varint("length")), error_of(mls_errc::bad_varint, "length"));
}

TEST(TlsCodec, RefusesTruncatedIntegersAndVarints) {
  const bytes three{1, 2, 3};
  EXPECT_EQ(error_in(tls_reader(three).u32("epoch")), error_of(mls_errc::truncated, "epoch"));
  EXPECT_EQ(error_in(tls_reader(three).u64("epoch")), error_of(mls_errc::truncated, "epoch"));
  EXPECT_EQ(error_in(tls_reader(bytes{}).u8("version")), error_of(mls_errc::truncated, "version"));
  EXPECT_EQ(error_in(tls_reader(bytes{0x40}).varint("length")), error_of(mls_errc::truncated, "length"));
  EXPECT_EQ(error_in(tls_reader(bytes{0x80, 0, 0}).varint("length")), error_of(mls_errc::truncated, "length"));
  EXPECT_EQ(error_in(tls_reader(bytes{}).varint("length")), error_of(mls_errc::truncated, "length"));
}

TEST(TlsCodec, ReadsOpaqueVectorsAndFixedArrays) {
  const bytes input{0x03, 'a', 'b', 'c', 0x00, 0xaa, 0xbb};
  tls_reader reader(input);
  const auto abc = reader.opaque("group_id").value();
  EXPECT_EQ(bytes(abc.begin(), abc.end()), (bytes{'a', 'b', 'c'}));
  EXPECT_TRUE(reader.opaque("context").value().empty());
  const auto fixed = reader.fixed(2, "nonce").value();
  EXPECT_EQ(bytes(fixed.begin(), fixed.end()), (bytes{0xaa, 0xbb}));
  EXPECT_TRUE(reader.finish());
}

TEST(TlsCodec, RefusesAnOpaqueVectorLongerThanTheInputAndStaysPut) {
  const bytes input{0x05, 'a', 'b'};
  tls_reader reader(input);
  EXPECT_EQ(error_in(reader.opaque("group_id")), error_of(mls_errc::truncated, "group_id"));
  EXPECT_EQ(reader.remaining(), input.size());
  EXPECT_EQ(error_in(reader.fixed(4, "nonce")), error_of(mls_errc::truncated, "nonce"));
  // A length claiming nearly 2^30 bytes over a short input.
  const bytes huge{0xbf, 0xff, 0xff, 0xff, 0x00};
  EXPECT_EQ(error_in(tls_reader(huge).opaque("ciphertext")), error_of(mls_errc::truncated, "ciphertext"));
}

TEST(TlsCodec, NestedVectorsNameTheirPathInErrors) {
  // proposals<V> holding two elements: u16 type and opaque body<V>; the second one's body is cut.
  const bytes input{0x09, 0x00, 0x01, 0x01, 0xaa, 0x00, 0x02, 0x05, 0xbb, 0xcc};
  tls_reader reader(input);
  auto proposals = reader.vector("proposals").value();
  EXPECT_TRUE(reader.finish());
  EXPECT_EQ(proposals.u16("proposal_type").value(), 1);
  auto first = proposals.vector("body").value();
  EXPECT_EQ(first.u8("byte").value(), 0xaa);
  EXPECT_EQ(error_in(first.u8("byte")), error_of(mls_errc::truncated, "proposals.body.byte"));
  EXPECT_EQ(proposals.u16("proposal_type").value(), 2);
  EXPECT_EQ(error_in(proposals.vector("body")), error_of(mls_errc::truncated, "proposals.body"));
}

TEST(TlsCodec, ReadsOptionalPresenceAndRefusesOtherBytes) {
  const bytes input{0x00, 0x01, 0x02};
  tls_reader reader(input);
  EXPECT_FALSE(reader.present("path").value());
  EXPECT_TRUE(reader.present("path").value());
  EXPECT_EQ(error_in(reader.present("path")), error_of(mls_errc::bad_optional, "path"));
  EXPECT_EQ(error_in(tls_reader(bytes{}).present("path")), error_of(mls_errc::truncated, "path"));
}

TEST(TlsCodec, FinishRefusesTrailingBytesNamingTheVector) {
  const bytes input{0x02, 0x01, 0x02};
  tls_reader outer(input);
  auto inner = outer.vector("extensions").value();
  EXPECT_EQ(inner.u8("byte").value(), 1);
  EXPECT_EQ(error_in(inner.finish()), error_of(mls_errc::trailing_bytes, "extensions"));
  EXPECT_EQ(error_in(tls_reader(bytes{0}).finish()), error_of(mls_errc::trailing_bytes, ""));
}

TEST(TlsCodec, WrittenNestedStructuresReadBack) {
  tls_writer writer;
  writer.opaque(bytes{'g', 'i', 'd'}, "group_id");
  writer.vector("proposals", [](tls_writer& proposals) {
    for (std::uint16_t type : {1, 3}) {
      proposals.u16(type);
      proposals.vector("body", [&](tls_writer& body) { body.opaque(bytes(100, static_cast<std::uint8_t>(type)), "key"); });
    }
  });
  writer.present(true);
  writer.u64(42);
  writer.present(false);
  const bytes out = written(std::move(writer));

  tls_reader reader(out);
  EXPECT_EQ(reader.opaque("group_id").value().size(), 3u);
  auto proposals = reader.vector("proposals").value();
  for (std::uint16_t type : {1, 3}) {
    EXPECT_EQ(proposals.u16("proposal_type").value(), type);
    auto body = proposals.vector("body").value();
    const auto key = body.opaque("key").value();
    EXPECT_EQ(bytes(key.begin(), key.end()), bytes(100, static_cast<std::uint8_t>(type)));
    EXPECT_TRUE(body.finish());
  }
  EXPECT_TRUE(proposals.finish());
  EXPECT_TRUE(reader.present("x").value());
  EXPECT_EQ(reader.u64("x").value(), 42u);
  EXPECT_FALSE(reader.present("y").value());
  EXPECT_TRUE(reader.finish());
}

TEST(TlsCodec, WriterReportsTheFirstLengthTooLarge) {
  tls_writer writer;
  writer.varint(1u << 30, "ciphertext");
  writer.varint(std::uint64_t{1} << 40, "later");
  EXPECT_EQ(error_in(std::move(writer).finish()), error_of(mls_errc::length_too_large, "ciphertext"));
}

TEST(TlsCodec, ErrorMessagesSayWhatAndWhere) {
  EXPECT_EQ(error_of(mls_errc::truncated, "key_package.init_key").message(),
            "truncated MLS structure (at key_package.init_key)");
  EXPECT_EQ(error_of(mls_errc::trailing_bytes, "").message(), "bytes after the MLS structure");
}

}  // namespace
}  // namespace spence::net::dave::mls
