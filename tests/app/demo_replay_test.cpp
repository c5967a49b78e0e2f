// The replay proof: the demo pipeline (timers, a supervisor restart) recorded on the
// multi-threaded pool replays identically, and a trace edited at one message diverges exactly there.

#include "app/demo_pipeline.hpp"

#include "actors/actor.hpp"
#include "actors/replay.hpp"
#include "actors/trace_writer.hpp"

#include <algorithm>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <future>

namespace spence::app {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

struct collecting_sink : actors::effect_sink {
  std::mutex mutex;
  std::string bytes;
  void write(std::span<const std::byte> b) override {
    std::lock_guard lock(mutex);
    bytes.append(reinterpret_cast<const char*>(b.data()), b.size());
  }
};

class demo_replay : public ::testing::Test {
 protected:
  static fs::path recorded;
  static std::string output;
  static std::uint64_t restarts;

  // Records one run for the whole suite: 4 threads on 2 cores, so actors really interleave.
  static void SetUpTestSuite() {
    recorded = fs::temp_directory_path() / ("spence-demo-replay-" + std::to_string(::getpid()) + ".trace");
    auto writer = actors::trace_writer::open({recorded, 16 * 1024});  // small segments: rotation too
    ASSERT_TRUE(writer);
    actors::runtime rt({4, writer->get()});
    auto sink = std::make_shared<collecting_sink>();
    rt.add_effect_sink(std::string(demo::output_sink), sink);
    auto pipeline = rt.spawn<demo::pipeline>("/demo", {120, 1, 10});
    ASSERT_TRUE(pipeline);
    std::promise<void> ended;
    pipeline->cell()->on_terminated([&](const actors::terminated&) { ended.set_value(); });
    std::uint64_t seen_restarts = 0;
    auto done = ended.get_future();
    while (done.wait_for(5ms) != std::future_status::ready)
      if (auto s = rt.find("/demo/scaler")) seen_restarts = s->metrics().restarts;
    rt.shutdown(2s);
    (*writer)->close();
    restarts = seen_restarts;
    output = sink->bytes;
  }
  static void TearDownTestSuite() {
    for (int i = 1; i < 1000 && fs::exists(actors::trace_segment_path(recorded, i)); ++i)
      fs::remove(actors::trace_segment_path(recorded, i));
  }

  static actors::actor_registry registry() {
    actors::actor_registry r;
    demo::register_kinds(r);
    return r;
  }

  // A path for an edited copy: same file name (segments name their successor), own directory.
  static fs::path copy_path(const std::string& what) {
    auto dir = fs::temp_directory_path() / ("spence-demo-" + what + "-" + std::to_string(::getpid()));
    fs::create_directories(dir);
    return dir / recorded.filename();
  }
  // Copies the trace to `copy` (all segments) applying `edit` to each line.
  static void copy_trace(const fs::path& copy, const std::function<std::string(const std::string&)>& edit) {
    for (int i = 1; fs::exists(actors::trace_segment_path(recorded, i)); ++i) {
      std::ifstream in(actors::trace_segment_path(recorded, i));
      std::ofstream out(actors::trace_segment_path(copy, i));
      for (std::string line; std::getline(in, line);) out << edit(line) << "\n";
    }
  }
};
fs::path demo_replay::recorded;
std::string demo_replay::output;
std::uint64_t demo_replay::restarts = 0;

TEST_F(demo_replay, the_recorded_run_did_real_work) {
  EXPECT_GE(restarts, 1u);
  EXPECT_THAT(output, ::testing::HasSubstr("end after 120 samples, 108 lines"));
  EXPECT_TRUE(fs::exists(actors::trace_segment_path(recorded, 2)));
}

TEST_F(demo_replay, replays_identically) {
  auto report = actors::replay_trace(recorded, registry());
  ASSERT_TRUE(report) << report.error().describe();
  EXPECT_FALSE(report->first_divergence) << report->first_divergence->actor << " " << report->first_divergence->seq;
  EXPECT_TRUE(report->complete);
  // 120 ticks, 120 samples, 108 scaled (every 10th sample crashed the scaler), the end of the
  // stream at scaler and writer, and the pipeline told of the metronome's and writer's ends.
  EXPECT_EQ(report->messages, 120u + 120 + 108 + 2 + 2);
  EXPECT_GT(report->checkpoints, 300u);
}

TEST_F(demo_replay, an_edited_message_diverges_exactly_there) {
  // Change the value of the 57th sample on its way into the scaler.
  std::uint64_t edited_seq = 0;
  auto copy = copy_path("edited");
  copy_trace(copy, [&](const std::string& line) {
    if (line.find("\"type\":\"spence::app::demo::sample\"") == std::string::npos) return line;
    auto v = boost::json::parse(line).as_object();
    if (v["payload"].as_object()["n"].as_int64() != 57) return line;
    edited_seq = v["seq"].to_number<std::uint64_t>();
    v["payload"].as_object()["value"] = 12345;
    return boost::json::serialize(v);
  });
  ASSERT_NE(edited_seq, 0u);
  auto report = actors::replay_trace(copy, registry());
  ASSERT_TRUE(report) << report.error().describe();
  ASSERT_TRUE(report->first_divergence);
  EXPECT_EQ(report->first_divergence->seq, edited_seq);
  EXPECT_EQ(report->first_divergence->actor, "/demo/scaler");
  EXPECT_EQ(report->first_divergence->type, "spence::app::demo::sample");
  EXPECT_NE(report->first_divergence->expected, report->first_divergence->actual);
  fs::remove_all(copy.parent_path());
}

TEST_F(demo_replay, a_parent_stopped_before_its_childs_last_message_still_replays) {
  // Under load the pipeline's stop can be recorded while the scaler still drains its mailbox: move
  // the pipeline's stop record before the scaler's last message, as such a run writes it. The
  // trace goes into one segment (without the `next` records) to allow the move.
  std::vector<std::string> lines;
  for (int i = 1; fs::exists(actors::trace_segment_path(recorded, i)); ++i) {
    std::ifstream in(actors::trace_segment_path(recorded, i));
    for (std::string line; std::getline(in, line);)
      if (line.find("\"next\"") == std::string::npos) lines.push_back(line);
  }
  const auto stop = std::ranges::find_if(lines, [](const std::string& l) { return l.starts_with("{\"stop\":\"/demo\","); });
  const auto last_scaler_message = std::find_if(lines.rbegin(), lines.rend(), [](const std::string& l) {
    return l.starts_with("{\"seq\"") && l.find("\"actor\":\"/demo/scaler\"") != std::string::npos;
  });
  ASSERT_NE(stop, lines.end());
  ASSERT_NE(last_scaler_message, lines.rend());
  const std::string stop_line = *stop;
  lines.erase(stop);
  lines.insert(std::prev(last_scaler_message.base()), stop_line);
  auto copy = copy_path("early-stop");
  {
    std::ofstream out(actors::trace_segment_path(copy, 1));
    for (const auto& line : lines) out << line << "\n";
  }
  auto report = actors::replay_trace(copy, registry());
  ASSERT_TRUE(report) << report.error().describe();
  EXPECT_FALSE(report->first_divergence) << report->first_divergence->actor << " " << report->first_divergence->seq;
  EXPECT_TRUE(report->complete);
  fs::remove_all(copy.parent_path());
}

TEST_F(demo_replay, a_damaged_trace_is_refused_with_its_offset) {
  auto copy = copy_path("damaged");
  int n = 0;
  copy_trace(copy, [&](const std::string& line) { return ++n == 40 ? line.substr(0, line.size() / 2) : line; });
  auto report = actors::replay_trace(copy, registry());
  ASSERT_FALSE(report);
  EXPECT_GT(report.error().offset, 0u);
  EXPECT_THAT(report.error().describe(), ::testing::HasSubstr("malformed"));
  fs::remove_all(copy.parent_path());
}

TEST_F(demo_replay, an_unknown_actor_kind_is_refused) {
  auto copy = copy_path("kind");
  copy_trace(copy, [](const std::string& line) {
    auto at = line.find("\"kind\":\"demo.pipeline\"");
    return at == std::string::npos ? line : line.substr(0, at) + "\"kind\":\"demo.unknown\"" + line.substr(at + 22);
  });
  auto report = actors::replay_trace(copy, registry());
  ASSERT_FALSE(report);
  EXPECT_EQ(report.error().code, actors::errc::unknown_actor_kind);
  fs::remove_all(copy.parent_path());
}

}  // namespace
}  // namespace spence::app
