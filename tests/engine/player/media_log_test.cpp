// The media log of a recorded player session: what a source answered is answered again on replay,
// call for call; a call that differs, and a log that is malformed, are clear errors.

#include "engine/player/media_log.hpp"

#include "engine/memory_source.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>

namespace spence::engine {
namespace {

namespace fs = std::filesystem;

std::vector<std::uint8_t> pattern(std::size_t n) {
  std::vector<std::uint8_t> v(n);
  for (std::size_t i = 0; i < n; ++i) v[i] = static_cast<std::uint8_t>(i * 7 + i / 251);
  return v;
}

// A network-like source: answers may_wait() and available() from a script, and fails its third read.
class flaky_source final : public byte_source {
 public:
  std::size_t read(std::span<std::uint8_t> out) override {
    if (++reads_ == 3) throw media_error(media_errc::network, name_, "connection reset");
    return inner_.read(out);
  }
  bool seekable() const override { return false; }
  void seek(std::uint64_t) override { throw media_error(media_errc::not_seekable, name_, "a live stream"); }
  std::optional<std::uint64_t> size() const override { return std::nullopt; }
  std::size_t available() const override { return ++asked_ < 3 ? 0 : inner_.available(); }
  bool may_wait() const override { return true; }
  const std::string& name() const override { return name_; }

 private:
  memory_source inner_{pattern(10000), "inner"};
  std::string name_ = "https://radio.example/stream";
  int reads_ = 0;
  mutable int asked_ = 0;
};

class media_log_test : public ::testing::Test {
 protected:
  fs::path dir = fs::temp_directory_path() / ("spence-media-log-" + std::to_string(::getpid()));
  fs::path log = dir / "track.media";
  void SetUp() override { fs::create_directories(dir); }
  void TearDown() override { fs::remove_all(dir); }

  std::vector<std::uint8_t> log_bytes() const {
    std::ifstream in(log, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  }
};

TEST_F(media_log_test, ReplaysEveryAnswerOfAFile) {
  const auto bytes = pattern(50000);
  std::vector<std::uint8_t> a(4096), b(4096);
  std::vector<std::size_t> recorded;
  {
    recording_source rec(std::make_unique<memory_source>(bytes, "song.ogg"), log);
    for (int i = 0; i < 5; ++i) recorded.push_back(rec.may_wait());  // one run
    recorded.push_back(rec.available());
    recorded.push_back(rec.read(a));
    recorded.push_back(rec.available());
    rec.seek(48000);
    recorded.push_back(rec.read(a));  // short: 2000 left
    recorded.push_back(rec.read(a));  // 0: the end
  }
  replayed_source rep(log);
  EXPECT_EQ(rep.name(), "song.ogg");
  EXPECT_TRUE(rep.seekable());
  EXPECT_EQ(rep.size(), 50000u);
  std::vector<std::size_t> replayed;
  for (int i = 0; i < 5; ++i) replayed.push_back(rep.may_wait());
  replayed.push_back(rep.available());
  replayed.push_back(rep.read(b));
  EXPECT_TRUE(std::equal(b.begin(), b.end(), bytes.begin()));
  replayed.push_back(rep.available());
  rep.seek(48000);
  replayed.push_back(rep.read(b));
  EXPECT_TRUE(std::equal(b.begin(), b.begin() + 2000, bytes.begin() + 48000));
  replayed.push_back(rep.read(b));
  EXPECT_EQ(replayed, recorded);
  EXPECT_EQ(recorded[6], 4096u);
  EXPECT_EQ(recorded[8], 2000u);
  EXPECT_EQ(recorded[9], 0u);
}

// What a network player asks of its source, each answer as text (a failure as its message).
std::vector<std::string> network_calls(byte_source& source) {
  std::vector<std::string> answers;
  auto ask = [&](const std::function<std::string()>& call) {
    try {
      answers.push_back(call());
    } catch (const media_error& e) {
      answers.push_back(std::string("failed ") + std::to_string(static_cast<int>(e.code())) + ": " + e.what());
    }
  };
  std::vector<std::uint8_t> buf(1000);
  ask([&] { return std::to_string(source.seekable()) + " " + std::to_string(source.size().value_or(0)); });
  for (int i = 0; i < 3; ++i) ask([&] { return std::to_string(source.available()); });
  for (int i = 0; i < 3; ++i) ask([&] { return std::to_string(source.read(buf)); });
  ask([&] { return (source.seek(0), std::string("sought")); });
  return answers;
}

TEST_F(media_log_test, ReplaysANetworkSourcesWaitsAndFailures) {
  std::vector<std::string> recorded;
  {
    recording_source rec(std::make_unique<flaky_source>(), log);
    recorded = network_calls(rec);
  }
  EXPECT_EQ(recorded, (std::vector<std::string>{
                          "0 0", "0", "0", "10000", "1000", "1000",
                          "failed 10: https://radio.example/stream: connection reset",
                          "failed 7: https://radio.example/stream: a live stream"}));
  replayed_source rep(log);
  EXPECT_EQ(network_calls(rep), recorded);
}

// The replayed call, and the error it gets, when the replay does not ask what the recording did.
media_error diverge(const fs::path& log, const std::function<void(replayed_source&)>& calls) {
  replayed_source rep(log);
  try {
    calls(rep);
  } catch (const media_error& e) {
    return e;
  }
  ADD_FAILURE() << "no divergence reported";
  return media_error(media_errc::io, "", "");
}

TEST_F(media_log_test, ACallOtherThanTheRecordedOneIsADivergence) {
  {
    recording_source rec(std::make_unique<memory_source>(pattern(10000), "song.ogg"), log);
    std::vector<std::uint8_t> buf(100);
    rec.may_wait();
    rec.may_wait();
    rec.read(buf);
  }
  std::vector<std::uint8_t> buf(100), other(99);
  auto e = diverge(log, [&](replayed_source& r) { r.read(buf); });
  EXPECT_EQ(e.code(), media_errc::malformed);
  EXPECT_NE(std::string(e.what()).find("read called where may_wait was recorded"), std::string::npos) << e.what();
  e = diverge(log, [&](replayed_source& r) { r.may_wait(), r.read(buf); });
  EXPECT_NE(std::string(e.what()).find("read called where 1 more may_wait() answers were recorded"), std::string::npos) << e.what();
  e = diverge(log, [&](replayed_source& r) { r.available(); });
  EXPECT_NE(std::string(e.what()).find("available called where may_wait was recorded"), std::string::npos) << e.what();
  e = diverge(log, [&](replayed_source& r) { r.may_wait(), r.may_wait(), r.read(other); });
  EXPECT_NE(std::string(e.what()).find("read of 99 bytes where 100 were recorded"), std::string::npos) << e.what();
  e = diverge(log, [&](replayed_source& r) { r.may_wait(), r.may_wait(), r.read(buf), r.read(buf); });
  EXPECT_NE(std::string(e.what()).find("after the last recorded call"), std::string::npos) << e.what();
  e = diverge(log, [&](replayed_source& r) { r.may_wait(), r.may_wait(), r.seek(5); });
  EXPECT_NE(std::string(e.what()).find("seek called where read was recorded"), std::string::npos) << e.what();
}

TEST_F(media_log_test, MalformedLogsAreClearErrors) {
  {
    recording_source rec(std::make_unique<memory_source>(pattern(3000), "song.ogg"), log);
    std::vector<std::uint8_t> buf(2000);
    rec.available();
    rec.read(buf);
  }
  const auto good = log_bytes();
  const std::size_t header = 8 + 8 + 8 + 2 + 8;  // magic, name length, "song.ogg", flags, size
  auto open = [](std::vector<std::uint8_t> bytes) -> std::optional<media_errc> {
    try {
      replayed_source rep(std::move(bytes), "edited.media");
      std::vector<std::uint8_t> buf(2000);
      rep.available();
      rep.read(buf);
      return std::nullopt;
    } catch (const media_error& e) {
      return e.code();
    }
  };
  EXPECT_EQ(open(good), std::nullopt);
  EXPECT_EQ(open({}), media_errc::truncated);
  auto bad_magic = good;
  bad_magic[0] = 'X';
  EXPECT_EQ(open(bad_magic), media_errc::malformed);
  for (std::size_t cut : {std::size_t{10}, header - 1, header + 5, good.size() - 1})
    EXPECT_EQ(open({good.begin(), good.begin() + static_cast<std::ptrdiff_t>(cut)}), media_errc::truncated) << cut;
  auto huge_name = good;
  huge_name[8 + 7] = 0x7f;  // name length's top byte
  EXPECT_EQ(open(huge_name), media_errc::limit_exceeded);
  auto bad_flags = good;
  bad_flags[8 + 8 + 8] = 2;
  EXPECT_EQ(open(bad_flags), media_errc::malformed);
  auto empty_run = good;
  std::fill(empty_run.begin() + header + 9, empty_run.begin() + header + 17, 0);  // the run's count
  EXPECT_EQ(open(empty_run), media_errc::malformed);
  auto unknown_kind = good;
  unknown_kind[header] = 'Z';
  EXPECT_EQ(open(unknown_kind), media_errc::malformed);
  auto overlong_read = good;
  overlong_read[header + 17 + 1 + 8] = 0xff;  // returned > requested
  EXPECT_EQ(open(overlong_read), media_errc::malformed);
  auto bad_failure = good;
  bad_failure[header + 17] = 'E';
  bad_failure[header + 18] = 99;  // no such error code
  EXPECT_EQ(open(bad_failure), media_errc::malformed);
  EXPECT_THROW(replayed_source(dir / "missing.media"), media_error);
}

}  // namespace
}  // namespace spence::engine
