// Trace files: round trip, rotation, redaction, and every kind of damage reported with its offset.

#include "actors/json_text.hpp"
#include "actors/message.hpp"
#include "actors/trace_reader.hpp"
#include "actors/trace_writer.hpp"

#include <boost/describe/class.hpp>
#include <boost/json/value_from.hpp>

#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

namespace spence::actors {
namespace {

namespace fs = std::filesystem;

struct voice_identify {
  std::string user;
  secret<std::string> token;
};
BOOST_DESCRIBE_STRUCT(voice_identify, (), (user, token))

// The payload text an actor hands the trace for `m`.
template <class M>
std::string payload_text(const M& m) {
  std::string out;
  append_as_json(out, m);
  return out;
}

class trace_files : public ::testing::Test {
 protected:
  fs::path path = fs::temp_directory_path() / ("spence-trace-test-" + std::to_string(::getpid()) + "-" +
                                              ::testing::UnitTest::GetInstance()->current_test_info()->name());
  void TearDown() override {
    for (int i = 1; i < 100; ++i) fs::remove(trace_segment_path(path, i));
  }
  void write_text(const std::string& text) { std::ofstream(path, std::ios::binary) << text; }
  std::string read_text() {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), {}};
  }
  // Reads every record; the error if any.
  boost::system::result<std::vector<trace_record>, trace_error> read_all() {
    auto reader = trace_reader::open(path);
    if (!reader) return reader.error();
    std::vector<trace_record> out;
    for (;;) {
      auto r = reader->next();
      if (!r) return r.error();
      if (!*r) return out;
      out.push_back(std::move(**r));
    }
  }
};

TEST_F(trace_files, round_trip) {
  {
    auto w = trace_writer::open({path});
    ASSERT_TRUE(w);
    (*w)->on_spawn(clock::time_point{5}, "/a", "test.kind", boost::json::object{{"x", 1}});
    auto s1 = (*w)->on_message(clock::time_point{10}, "/a", "t1", R"({"v":1})");
    (*w)->on_checkpoint(s1, "/a", "abcd", "");
    auto s2 = (*w)->on_message(clock::time_point{20}, "/a", "t2", "{}");
    (*w)->on_checkpoint(s2, "/a", "", "it broke");
    (*w)->on_stop(clock::time_point{30}, "/a");
    EXPECT_EQ(s1, 1u);
    EXPECT_EQ(s2, 2u);
  }
  auto reader = trace_reader::open(path);
  ASSERT_TRUE(reader);
  std::vector<trace_record> records;
  while (auto r = reader->next()) {
    ASSERT_TRUE(r);
    if (!*r) break;
    records.push_back(**r);
  }
  EXPECT_TRUE(reader->complete());
  ASSERT_EQ(records.size(), 7u);
  EXPECT_EQ(records[0].kind, trace_record::type::spawn);
  EXPECT_EQ(records[0].name, "test.kind");
  EXPECT_EQ(records[1].kind, trace_record::type::message);
  EXPECT_EQ(records[1].t.count(), 10);
  EXPECT_EQ(records[1].payload.at("v").as_int64(), 1);
  EXPECT_EQ(records[2].outputs, "abcd");
  EXPECT_EQ(records[4].failure, "it broke");
  EXPECT_EQ(records[5].kind, trace_record::type::stop);
  EXPECT_EQ(records[6].kind, trace_record::type::end);
  EXPECT_EQ(records[6].seq, 2u);
}

TEST_F(trace_files, secrets_never_reach_the_file) {
  {
    auto w = trace_writer::open({path});
    voice_identify m{"158049329150427136", {"MTIz.super-secret-token"}};
    (*w)->on_message(clock::time_point{1}, "/v", message_name<voice_identify>(), payload_text(m));
  }
  auto text = read_text();
  EXPECT_THAT(text, ::testing::Not(::testing::HasSubstr("super-secret")));
  EXPECT_THAT(text, ::testing::HasSubstr("<redacted>"));
  EXPECT_THAT(text, ::testing::HasSubstr("158049329150427136"));
}

TEST_F(trace_files, rotates_at_the_size_limit_and_reads_across_segments) {
  {
    auto w = trace_writer::open({path, 2000});
    (*w)->on_spawn(clock::time_point{0}, "/a", "k", boost::json::object{});
    for (int i = 0; i < 200; ++i) (*w)->on_message(clock::time_point{i}, "/a", "t", fmt::format(R"({{"i":{}}})", i));
  }
  EXPECT_TRUE(fs::exists(trace_segment_path(path, 2)));
  EXPECT_TRUE(fs::exists(trace_segment_path(path, 5)));
  EXPECT_LE(fs::file_size(path), 2200u);
  auto all = read_all();
  ASSERT_TRUE(all) << all.error().describe();
  int messages = 0;
  for (const auto& r : *all)
    if (r.kind == trace_record::type::message) EXPECT_EQ(r.payload.at("i").as_int64(), messages++);
  EXPECT_EQ(messages, 200);
  // Later segment headers list the actors alive when they began.
  std::ifstream second(trace_segment_path(path, 2));
  std::string header;
  std::getline(second, header);
  EXPECT_THAT(header, ::testing::HasSubstr("\"name\":\"/a\""));
}

TEST_F(trace_files, missing_segment_is_an_error) {
  {
    auto w = trace_writer::open({path, 500});
    for (int i = 0; i < 50; ++i) (*w)->on_message(clock::time_point{i}, "/a", "t", "{}");
  }
  fs::remove(trace_segment_path(path, 2));
  auto all = read_all();
  ASSERT_FALSE(all);
  EXPECT_EQ(all.error().code, errc::trace_io);
  EXPECT_THAT(all.error().describe(), ::testing::HasSubstr("segment missing"));
}

constexpr const char* header = "{\"trace\":\"spence\",\"version\":1,\"segment\":1,\"actors\":[]}\n";

struct damage_case {
  std::string name;
  std::string body;         // after the header
  std::uint64_t offset;     // of the faulty record, counted from the end of the header
  std::string reason_part;
};

TEST_F(trace_files, damaged_traces_report_the_offset_and_reason) {
  const std::string msg = "{\"seq\":1,\"t\":1,\"actor\":\"/a\",\"type\":\"x\",\"payload\":{}}\n";
  std::vector<damage_case> cases = {
      {"garbage", "not json at all\n", 0, "invalid JSON"},
      {"array", "[1,2]\n", 0, "not a JSON object"},
      {"unknown kind", "{\"what\":1}\n", 0, "unknown kind"},
      {"truncated last record", msg + "{\"seq\":2,\"t\":", msg.size(), "cut off"},
      {"message without actor", "{\"seq\":1,\"t\":1,\"type\":\"x\",\"payload\":{}}\n", 0, "\"actor\""},
      {"negative time", "{\"seq\":1,\"t\":-1.5,\"actor\":\"/a\",\"type\":\"x\",\"payload\":{}}\n", 0, "\"t\""},
      {"seq zero", "{\"seq\":0,\"t\":1,\"actor\":\"/a\",\"type\":\"x\",\"payload\":{}}\n", 0, "\"seq\""},
      {"seq going backwards", msg + msg, msg.size(), "sequence number 1 after 1"},
      {"checkpoint without digest string", "{\"chk\":1,\"actor\":\"/a\",\"out\":5}\n", 0, "\"out\""},
      {"second header", std::string(header), 0, "header in the middle"},
      {"next naming another file", "{\"next\":\"elsewhere\"}\n", 0, "unexpected file"},
      {"deep nesting", std::string(100000, '[') + "\n", 0, "invalid JSON"},
  };
  for (const auto& c : cases) {
    write_text(std::string(header) + c.body);
    auto all = read_all();
    ASSERT_FALSE(all) << c.name;
    EXPECT_EQ(all.error().offset, std::string(header).size() + c.offset) << c.name;
    EXPECT_THAT(all.error().describe(), ::testing::HasSubstr(c.reason_part)) << c.name;
  }
}

TEST_F(trace_files, bad_or_empty_files) {
  write_text("");
  auto empty = read_all();
  ASSERT_FALSE(empty);
  EXPECT_THAT(empty.error().describe(), ::testing::HasSubstr("does not start with a header"));

  write_text("{\"trace\":\"other\",\"version\":1,\"segment\":1,\"actors\":[]}\n");
  EXPECT_FALSE(read_all());
  write_text("{\"trace\":\"spence\",\"version\":9,\"segment\":1,\"actors\":[]}\n");
  EXPECT_FALSE(read_all());
  write_text("{\"trace\":\"spence\",\"version\":1,\"segment\":3,\"actors\":[]}\n");
  EXPECT_FALSE(read_all());

  fs::remove(path);
  auto missing = read_all();
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, errc::trace_io);
}

TEST_F(trace_files, oversized_record_is_refused_without_reading_it_all) {
  std::string big(trace_reader::max_record_bytes + 10, 'x');
  write_text(std::string(header) + big + "\n");
  auto all = read_all();
  ASSERT_FALSE(all);
  EXPECT_THAT(all.error().describe(), ::testing::HasSubstr("16 MiB"));
}

TEST_F(trace_files, unclosed_trace_reads_to_its_end_but_is_not_complete) {
  write_text(std::string(header) + "{\"seq\":1,\"t\":1,\"actor\":\"/a\",\"type\":\"x\",\"payload\":{}}\n");
  auto reader = trace_reader::open(path);
  ASSERT_TRUE(reader);
  auto first = reader->next();
  ASSERT_TRUE(first && *first);
  auto end = reader->next();
  ASSERT_TRUE(end);
  EXPECT_FALSE(*end);
  EXPECT_FALSE(reader->complete());
}

}  // namespace
}  // namespace spence::actors
