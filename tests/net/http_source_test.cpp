// http_source through a real http_client (libcurl on a two-thread Asio pool) against the loopback
// fault server: every byte read is checked against the generated resource.

#include "net/http/http_source.hpp"

#include "engine/media_error.hpp"
#include "tests/net/http_fault_server.hpp"
#include "tests/net/quick_http_options.hpp"

#include <boost/asio/thread_pool.hpp>

#include <curl/curl.h>

#include <gtest/gtest.h>

#include <optional>
#include <thread>

namespace spence::net {
namespace {

using namespace std::chrono_literals;
using engine::media_errc;
using engine::media_error;
using test::http_fault_server;

// What a reader got: the bytes, then the failure that ended them (if one did).
struct outcome {
  std::vector<std::uint8_t> bytes;
  std::optional<media_error> failure;
};

outcome read_to_end(engine::byte_source& source, std::size_t limit = ~std::size_t{0}) {
  outcome result;
  std::vector<std::uint8_t> buffer(8192);
  try {
    while (result.bytes.size() < limit) {
      const std::size_t n = source.read(std::span(buffer).first(std::min(buffer.size(), limit - result.bytes.size())));
      if (n == 0) break;
      result.bytes.insert(result.bytes.end(), buffer.begin(), buffer.begin() + static_cast<std::ptrdiff_t>(n));
    }
  } catch (const media_error& e) {
    result.failure = e;
  }
  return result;
}

// Whether `got` is the resource's bytes [first, first + count); names the first difference.
::testing::AssertionResult resource_bytes(const std::vector<std::uint8_t>& got, std::uint64_t first, std::uint64_t count) {
  if (got.size() != count) return ::testing::AssertionFailure() << "got " << got.size() << " bytes, wanted " << count;
  for (std::size_t i = 0; i < got.size(); ++i)
    if (got[i] != http_fault_server::byte_at(first + i))
      return ::testing::AssertionFailure() << "wrong byte at offset " << first + i;
  return ::testing::AssertionSuccess();
}

std::vector<std::string> ranges(const std::vector<test::recorded_request>& requests) {
  std::vector<std::string> out;
  for (const auto& r : requests) out.push_back(r.range);
  return out;
}

class http_source_test : public ::testing::Test {
 protected:
  // The client closes and every wait on the pool ends: a leaked wait would hang here.
  void TearDown() override {
    client_.reset();
    pool_.join();
  }

  std::unique_ptr<http_source> open(std::string_view target, const http_options& options = test::quick_http_options()) {
    return http_source::open(*client_, server_.url(target), options);
  }

  media_error open_failure(std::string_view url, const http_options& options = test::quick_http_options()) {
    try {
      http_source::open(*client_, url, options);
    } catch (const media_error& e) {
      return e;
    }
    ADD_FAILURE() << "opened " << url;
    return media_error(media_errc::io, "", "");
  }

  http_fault_server server_;
  boost::asio::thread_pool pool_{2};
  std::optional<http_client> client_{std::in_place, pool_.get_executor()};
};

TEST_F(http_source_test, reads_the_whole_body_and_learns_size_and_seekability) {
  auto source = open("/bytes?size=300000");
  EXPECT_EQ(source->size(), 300000u);
  EXPECT_TRUE(source->seekable());
  const auto got = read_to_end(*source);
  EXPECT_FALSE(got.failure);
  EXPECT_TRUE(resource_bytes(got.bytes, 0, 300000));
  EXPECT_EQ(ranges(server_.requests()), std::vector<std::string>{""});
}

TEST_F(http_source_test, an_empty_body_ends_at_once) {
  auto source = open("/bytes?size=0");
  EXPECT_EQ(source->size(), 0u);
  std::uint8_t byte = 0;
  EXPECT_EQ(source->read({&byte, 1}), 0u);
}

TEST_F(http_source_test, the_name_keeps_neither_credentials_nor_query) {
  const std::string base = server_.url("/bytes");
  const std::string with_secrets = "http://user:secret@" + base.substr(7) + "?size=10&sig=topsecret";
  auto source = http_source::open(*client_, with_secrets, test::quick_http_options());
  EXPECT_EQ(source->name(), base);
  const media_error e = open_failure(server_.url("/bytes?status=404&sig=topsecret"));
  EXPECT_EQ(std::string(e.what()).find("topsecret"), std::string::npos) << e.what();
}

class http_status_test : public http_source_test, public ::testing::WithParamInterface<int> {};

TEST_P(http_status_test, error_statuses_fail_open_naming_the_status_without_retrying) {
  const int status = GetParam();
  const media_error e = open_failure(server_.url("/bytes?size=100&status=" + std::to_string(status)));
  EXPECT_EQ(e.code(), media_errc::http_status);
  EXPECT_NE(std::string(e.what()).find("HTTP status " + std::to_string(status)), std::string::npos) << e.what();
  EXPECT_EQ(server_.requests().size(), 1u);
}

INSTANTIATE_TEST_SUITE_P(statuses, http_status_test, ::testing::Values(403, 404, 416, 500, 503));

TEST_F(http_source_test, follows_a_redirect_chain) {
  auto source = open("/bytes?redirect=3&size=1000");
  EXPECT_TRUE(resource_bytes(read_to_end(*source).bytes, 0, 1000));
  EXPECT_EQ(server_.requests().size(), 4u);
}

TEST_F(http_source_test, a_redirect_loop_ends_at_the_limit) {
  const media_error e = open_failure(server_.url("/bytes?redirect=loop&size=10"));
  EXPECT_EQ(e.code(), media_errc::limit_exceeded);
  EXPECT_EQ(server_.requests().size(), 6u);  // the first request and 5 redirects
}

TEST_F(http_source_test, dropped_connections_resume_delivering_every_byte_once) {
  auto source = open("/bytes?size=300000&drop_after=70000");
  const auto got = read_to_end(*source);
  EXPECT_FALSE(got.failure) << got.failure->what();
  EXPECT_TRUE(resource_bytes(got.bytes, 0, 300000));
  EXPECT_EQ(ranges(server_.requests()),
            (std::vector<std::string>{"", "bytes=70000-", "bytes=140000-", "bytes=210000-", "bytes=280000-"}));
}

TEST_F(http_source_test, reset_connections_resume_from_the_last_byte_received) {
  auto source = open("/bytes?size=400000&reset_after=100000");
  const auto got = read_to_end(*source);
  EXPECT_FALSE(got.failure) << got.failure->what();
  EXPECT_TRUE(resource_bytes(got.bytes, 0, 400000));
  EXPECT_GE(server_.requests().size(), 4u);
}

TEST_F(http_source_test, resumes_go_to_the_final_url_of_the_redirect_chain) {
  auto source = open("/bytes?redirect=2&size=200000&drop_after=80000");
  EXPECT_TRUE(resource_bytes(read_to_end(*source).bytes, 0, 200000));
  const auto requests = server_.requests();
  ASSERT_EQ(requests.size(), 5u);
  for (std::size_t i = 3; i < requests.size(); ++i) {
    EXPECT_NE(requests[i].target.find("redirect=0"), std::string::npos) << requests[i].target;
    EXPECT_FALSE(requests[i].range.empty());
  }
}

TEST_F(http_source_test, gives_up_after_the_resume_attempts_without_progress) {
  auto options = test::quick_http_options();
  options.max_resume_attempts = 2;
  // Every response restarts at byte 0 and breaks at 50000: resuming never gets past it.
  auto source = open("/bytes?size=300000&drop_after=50000&ignore_range=1", options);
  const auto got = read_to_end(*source);
  EXPECT_TRUE(resource_bytes(got.bytes, 0, 50000));
  ASSERT_TRUE(got.failure);
  EXPECT_EQ(got.failure->code(), media_errc::network);
  EXPECT_NE(std::string(got.failure->what()).find("at byte 50000, after 2 resume attempts"), std::string::npos)
      << got.failure->what();
  EXPECT_EQ(server_.requests().size(), 3u);
  EXPECT_FALSE(source->seekable());
}

TEST_F(http_source_test, a_stall_in_the_body_times_out) {
  auto options = test::quick_http_options();
  options.stall_timeout = 300ms;
  auto source = open("/bytes?size=100000&stall_after=20000", options);
  const auto got = read_to_end(*source);
  EXPECT_TRUE(resource_bytes(got.bytes, 0, 20000));
  ASSERT_TRUE(got.failure);
  EXPECT_EQ(got.failure->code(), media_errc::timeout);
  EXPECT_NE(std::string(got.failure->what()).find("no data for 300 ms"), std::string::npos);
}

TEST_F(http_source_test, a_stall_before_the_body_fails_open) {
  auto options = test::quick_http_options();
  options.stall_timeout = 300ms;
  EXPECT_EQ(open_failure(server_.url("/bytes?size=100000&stall_after=0"), options).code(), media_errc::timeout);
}

TEST_F(http_source_test, a_reader_pausing_longer_than_the_stall_timeout_is_not_a_stall) {
  auto options = test::quick_http_options();
  options.stall_timeout = 200ms;
  auto source = open("/bytes?size=1000000", options);
  EXPECT_TRUE(resource_bytes(read_to_end(*source, 10).bytes, 0, 10));
  std::this_thread::sleep_for(600ms);  // the window fills and the transfer waits, paused
  const auto got = read_to_end(*source);
  EXPECT_FALSE(got.failure) << got.failure->what();
  EXPECT_TRUE(resource_bytes(got.bytes, 10, 1000000 - 10));
}

TEST_F(http_source_test, a_slow_trickle_is_not_a_stall) {
  auto options = test::quick_http_options();
  options.stall_timeout = 1s;
  auto source = open("/bytes?size=65536&trickle=4096,5", options);
  const auto got = read_to_end(*source);
  EXPECT_FALSE(got.failure);
  EXPECT_TRUE(resource_bytes(got.bytes, 0, 65536));
}

TEST_F(http_source_test, a_server_ignoring_range_is_read_past_and_no_longer_seekable) {
  auto source = open("/bytes?size=200000&ignore_range=1");
  EXPECT_TRUE(source->seekable());  // it advertises Accept-Ranges
  EXPECT_TRUE(resource_bytes(read_to_end(*source, 1000).bytes, 0, 1000));
  source->seek(150000);
  EXPECT_TRUE(resource_bytes(read_to_end(*source).bytes, 150000, 50000));
  EXPECT_FALSE(source->seekable());
  try {
    source->seek(0);
    FAIL() << "seeked";
  } catch (const media_error& e) {
    EXPECT_EQ(e.code(), media_errc::not_seekable);
  }
}

TEST_F(http_source_test, ignoring_range_beyond_the_discard_limit_fails) {
  auto options = test::quick_http_options();
  options.max_discard_bytes = 100000;
  auto source = open("/bytes?size=400000&ignore_range=1", options);
  source->seek(300000);
  const auto got = read_to_end(*source);
  ASSERT_TRUE(got.failure);
  EXPECT_EQ(got.failure->code(), media_errc::limit_exceeded);
  EXPECT_NE(std::string(got.failure->what()).find("ignored Range"), std::string::npos) << got.failure->what();
}

TEST_F(http_source_test, a_content_length_longer_than_the_body_ends_truncated) {
  auto source = open("/bytes?size=50000&lie=1000");
  EXPECT_EQ(source->size(), 51000u);
  const auto got = read_to_end(*source);
  EXPECT_TRUE(resource_bytes(got.bytes, 0, 50000));
  ASSERT_TRUE(got.failure);
  EXPECT_EQ(got.failure->code(), media_errc::truncated);
  EXPECT_NE(std::string(got.failure->what()).find("416"), std::string::npos) << got.failure->what();
}

TEST_F(http_source_test, an_endless_chunked_stream_can_be_read_and_abandoned) {
  {
    auto source = open("/bytes?chunked=1");
    EXPECT_FALSE(source->size());
    EXPECT_FALSE(source->seekable());
    const auto got = read_to_end(*source, 1 << 20);
    EXPECT_FALSE(got.failure);
    EXPECT_TRUE(resource_bytes(got.bytes, 0, 1 << 20));
  }
  // The client is still fine.
  EXPECT_TRUE(resource_bytes(read_to_end(*open("/bytes?size=1000")).bytes, 0, 1000));
}

TEST_F(http_source_test, seeks_forwards_backwards_within_the_window_and_to_the_end) {
  auto source = open("/bytes?size=1000000");
  EXPECT_TRUE(resource_bytes(read_to_end(*source, 1000).bytes, 0, 1000));
  source->seek(600000);
  EXPECT_TRUE(resource_bytes(read_to_end(*source, 10000).bytes, 600000, 10000));
  source->seek(100);
  EXPECT_TRUE(resource_bytes(read_to_end(*source, 5000).bytes, 100, 5000));
  while (source->available() < 20000) std::this_thread::sleep_for(1ms);
  const std::size_t requests_before = server_.requests().size();
  source->seek(15100);  // buffered: no request
  EXPECT_TRUE(resource_bytes(read_to_end(*source, 1000).bytes, 15100, 1000));
  EXPECT_EQ(server_.requests().size(), requests_before);
  source->seek(999990);
  EXPECT_TRUE(resource_bytes(read_to_end(*source).bytes, 999990, 10));
  source->seek(1000000);
  EXPECT_TRUE(read_to_end(*source).bytes.empty());
  source->seek(5000000);
  EXPECT_TRUE(read_to_end(*source).bytes.empty());
  source->seek(0);
  EXPECT_TRUE(resource_bytes(read_to_end(*source).bytes, 0, 1000000));
}

TEST_F(http_source_test, a_server_without_ranges_cannot_seek) {
  auto source = open("/bytes?size=1000&accept_ranges=0");
  EXPECT_FALSE(source->seekable());
  source->seek(0);  // where it is: nothing to do
  try {
    source->seek(10);
    FAIL() << "seeked";
  } catch (const media_error& e) {
    EXPECT_EQ(e.code(), media_errc::not_seekable);
  }
}

TEST_F(http_source_test, a_fast_server_fills_the_window_and_no_more) {
  auto options = test::quick_http_options();
  options.read_ahead_bytes = 64 * 1024;
  auto source = open("/bytes?size=2097152", options);
  std::vector<std::uint8_t> all, buffer(4096);
  std::size_t most = 0;
  while (const std::size_t n = source->read(buffer)) {
    all.insert(all.end(), buffer.begin(), buffer.begin() + static_cast<std::ptrdiff_t>(n));
    std::this_thread::sleep_for(200us);
    most = std::max(most, source->available());
    ASSERT_LE(source->available(), options.read_ahead_bytes);
  }
  EXPECT_TRUE(resource_bytes(all, 0, 2097152));
  // It did read ahead: the window held at least all but one curl write.
  EXPECT_GE(most, options.read_ahead_bytes - CURL_MAX_WRITE_SIZE);
}

TEST_F(http_source_test, a_refused_connection_is_a_network_error) {
  const media_error e = open_failure("http://127.0.0.1:" + std::to_string(test::closed_port()) + "/x");
  EXPECT_EQ(e.code(), media_errc::network);
}

TEST_F(http_source_test, schemes_other_than_http_are_refused) {
  EXPECT_EQ(open_failure("file:///etc/hostname").code(), media_errc::malformed);
  EXPECT_EQ(open_failure("not a url").code(), media_errc::malformed);
}

TEST_F(http_source_test, destroying_a_source_mid_transfer_cancels_it) {
  open("/bytes?size=5000000&trickle=16384,1");  // destroyed at once, its transfer running
  {
    auto source = open("/bytes?size=5000000");
    EXPECT_TRUE(resource_bytes(read_to_end(*source, 100000).bytes, 0, 100000));
  }
  EXPECT_TRUE(resource_bytes(read_to_end(*open("/bytes?size=1000")).bytes, 0, 1000));
}

TEST_F(http_source_test, closing_the_client_wakes_a_blocked_reader) {
  auto options = test::quick_http_options();
  options.stall_timeout = 20s;
  auto source = open("/bytes?size=100000&stall_after=1000", options);
  EXPECT_TRUE(resource_bytes(read_to_end(*source, 1000).bytes, 0, 1000));
  std::optional<outcome> got;
  std::thread reader([&] { got = read_to_end(*source); });
  std::this_thread::sleep_for(50ms);
  client_.reset();
  reader.join();
  ASSERT_TRUE(got->failure);
  EXPECT_EQ(got->failure->code(), media_errc::network);
  EXPECT_NE(std::string(got->failure->what()).find("closed"), std::string::npos);
}

TEST_F(http_source_test, closing_the_client_ends_a_resume_waiting_out_its_backoff) {
  auto options = test::quick_http_options();
  options.resume_backoff = 60s;
  auto source = open("/bytes?size=300000&drop_after=50000&ignore_range=1", options);
  std::optional<outcome> got;
  std::thread reader([&] { got = read_to_end(*source); });
  // The second response gets no further than the first: the third waits out a minute's backoff.
  while (server_.requests().size() < 2) std::this_thread::sleep_for(1ms);
  std::this_thread::sleep_for(50ms);
  client_.reset();
  reader.join();
  EXPECT_TRUE(resource_bytes(got->bytes, 0, 50000));
  ASSERT_TRUE(got->failure);
  EXPECT_NE(std::string(got->failure->what()).find("closed"), std::string::npos) << got->failure->what();
  // TearDown's pool join returns now, not a minute later.
}

TEST_F(http_source_test, concurrent_sources_share_the_client) {
  constexpr int count = 6;
  std::vector<outcome> results(count);
  std::vector<std::thread> readers;
  for (int i = 0; i < count; ++i)
    readers.emplace_back([&, i] {
      auto source = open("/bytes?size=" + std::to_string(200000 + i) + "&drop_after=" + std::to_string(60000 + i * 1000));
      results[static_cast<std::size_t>(i)] = read_to_end(*source);
    });
  for (auto& reader : readers) reader.join();
  for (int i = 0; i < count; ++i) {
    EXPECT_FALSE(results[static_cast<std::size_t>(i)].failure);
    EXPECT_TRUE(resource_bytes(results[static_cast<std::size_t>(i)].bytes, 0, 200000 + static_cast<unsigned>(i)));
  }
}

}  // namespace
}  // namespace spence::net
