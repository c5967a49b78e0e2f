#include "net/http/http_transfer.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>

namespace spence::net {
namespace {

using engine::media_errc;
using engine::media_error;
using clock = std::chrono::steady_clock;

// Resumes wait resume_backoff, doubling per attempt without progress, but never longer than this.
constexpr std::chrono::milliseconds backoff_ceiling{30'000};

}  // namespace

http_transfer::http_transfer(const std::shared_ptr<curl_multi_driver>& driver, std::string url, std::string name,
                             http_options options, std::shared_ptr<read_ahead_window> window)
    : driver_(driver),
      strand_(driver->strand()),
      url_(std::move(url)),
      name_(std::move(name)),
      options_(std::move(options)),
      window_(std::move(window)),
      stall_timer_(strand_),
      resume_timer_(strand_) {
  for (const auto& line : options_.request_headers) {
    curl_slist* appended = curl_slist_append(request_headers_.get(), line.c_str());
    if (appended == nullptr) break;  // out of memory: the request goes without the rest
    if (!request_headers_) request_headers_.reset(appended);
  }
}

void http_transfer::start() {
  generation_ = window_->generation();
  begin_attempt();
}

void http_transfer::restart(std::uint64_t generation, std::uint64_t offset) {
  if (generation != window_->generation()) return;
  end_attempt();
  generation_ = generation;
  offset_ = offset;
  discard_ = 0;
  resumes_without_progress_ = 0;
  if (size_ && offset >= *size_) {
    window_->finish(generation_);
    return;
  }
  begin_attempt();
}

void http_transfer::unpause(std::uint64_t generation) {
  if (generation != generation_ || !paused_ || !easy_) return;
  paused_ = false;
  last_progress_ = clock::now();
  // curl delivers the paused write from inside this call.
  const CURLcode result = curl_easy_pause(easy_.get(), CURLPAUSE_CONT);
  if (result == CURLE_OK) return;
  end_attempt();
  if (!rejected_) {
    const auto reason = describe_curl_failure(result, 0, curl_error_);
    fail(reason.code, reason.detail);
  }
}

void http_transfer::cancel() {
  end_attempt();
  if (const auto driver = driver_.lock()) driver->forget(this);
}

void http_transfer::on_closed() {
  end_attempt();
  fail(media_errc::network, "the HTTP client was closed");
}

void http_transfer::begin_attempt() {
  ++attempt_id_;
  head_ = {};
  response_checked_ = rejected_ = paused_ = false;
  curl_error_[0] = '\0';
  attempt_offset_ = offset_;
  last_progress_ = clock::now();
  easy_.reset(curl_easy_init());
  if (!easy_) return fail(media_errc::network, "cannot create a curl handle");
  if (const CURLcode result = configure(easy_.get()); result != CURLE_OK) {
    easy_.reset();
    return fail(media_errc::network, fmt::format("cannot configure the request: {}", curl_easy_strerror(result)));
  }
  const auto driver = driver_.lock();
  if (!driver || !driver->add(easy_.get(), shared_from_this())) {
    easy_.reset();
    return fail(media_errc::network, "the HTTP client was closed");
  }
  watch_for_stall();
}

CURLcode http_transfer::configure(CURL* easy) {
  const std::string& url = established_ ? final_url_ : url_;
  const std::string range = offset_ > 0 ? fmt::format("{}-", offset_) : std::string();
  CURLcode result = CURLE_OK;
  const auto set = [&](CURLoption option, auto value) {
    if (result == CURLE_OK) result = curl_easy_setopt(easy, option, value);
  };
  set(CURLOPT_URL, url.c_str());
  set(CURLOPT_PROTOCOLS_STR, "http,https");
  set(CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
  set(CURLOPT_FOLLOWLOCATION, 1L);
  set(CURLOPT_MAXREDIRS, options_.max_redirects);
  set(CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(options_.connect_timeout.count()));
  set(CURLOPT_USERAGENT, options_.user_agent.c_str());
  set(CURLOPT_FAILONERROR, 1L);  // statuses >= 400 end the transfer before their body
  set(CURLOPT_NOSIGNAL, 1L);
  set(CURLOPT_ERRORBUFFER, curl_error_);
  set(CURLOPT_HEADERFUNCTION, &http_transfer::on_header);
  set(CURLOPT_HEADERDATA, this);
  set(CURLOPT_WRITEFUNCTION, &http_transfer::on_body);
  set(CURLOPT_WRITEDATA, this);
  if (!range.empty()) set(CURLOPT_RANGE, range.c_str());  // curl copies option strings
  if (request_headers_) set(CURLOPT_HTTPHEADER, request_headers_.get());  // curl does not: kept until destruction
  return result;
}

void http_transfer::end_attempt() {
  ++attempt_id_;
  stall_timer_.cancel();
  resume_timer_.cancel();
  paused_ = false;
  if (!easy_) return;
  // Without the driver the handle is already out: it closed and removed every handle.
  if (const auto driver = driver_.lock()) driver->remove(easy_.get());
  easy_.reset();
}

std::size_t http_transfer::on_header(char* data, std::size_t size, std::size_t count, void* self) {
  auto& transfer = *static_cast<http_transfer*>(self);
  transfer.last_progress_ = clock::now();
  transfer.head_.add_line(std::string_view(data, size * count));
  return size * count;
}

std::size_t http_transfer::on_body(char* data, std::size_t size, std::size_t count, void* self) {
  try {
    return static_cast<http_transfer*>(self)->take_body({reinterpret_cast<const std::uint8_t*>(data), size * count});
  } catch (const std::exception&) {
    return 0;  // curl fails the transfer (CURLE_WRITE_ERROR); no exception may cross its C frames
  }
}

std::size_t http_transfer::take_body(std::span<const std::uint8_t> bytes) {
  last_progress_ = clock::now();
  if (!response_checked_ && !accept_response()) {
    rejected_ = true;
    return 0;
  }
  if (icy_) return take_icy_body(bytes);
  // curl delivers a paused write again, whole: nothing is committed until the window took it.
  const auto skip = static_cast<std::size_t>(std::min<std::uint64_t>(discard_, bytes.size()));
  const auto kept = bytes.subspan(skip);
  if (const auto refused = offer(kept)) return *refused;
  discard_ -= skip;
  offset_ += kept.size();
  return bytes.size();
}

std::optional<std::size_t> http_transfer::offer(std::span<const std::uint8_t> bytes) {
  switch (window_->push(generation_, bytes)) {
    case read_ahead_window::push_result::full:
      paused_ = true;
      return CURL_WRITEFUNC_PAUSE;
    case read_ahead_window::push_result::stale:
      rejected_ = true;
      return 0;
    case read_ahead_window::push_result::accepted:
      break;
  }
  return std::nullopt;
}

std::size_t http_transfer::take_icy_body(std::span<const std::uint8_t> bytes) {
  // A paused write comes again whole, so the demuxer advances only once the window took the audio.
  icy_demuxer next = *icy_;
  std::vector<std::uint8_t> audio;
  std::vector<std::string> blocks;
  next.feed(bytes, audio, blocks);
  // Titles first: one is known no later than the audio after its block (noting it twice, when the
  // window is full and the write comes again, changes nothing).
  for (const auto& block : blocks) note_icy_block(block);
  if (const auto refused = offer(audio)) return *refused;
  *icy_ = std::move(next);
  offset_ += audio.size();
  return bytes.size();
}

void http_transfer::note_icy_block(const std::string& block) {
  const auto fields = parse_icy_metadata(block);
  if (!fields) {
    spdlog::debug("{}: ICY metadata block that does not parse ({} bytes), ignored", name_, block.size());
    return;
  }
  if (!fields->stream_title || *fields->stream_title == stream_title_) return;
  stream_title_ = *fields->stream_title;
  spdlog::info("{}: now playing \"{}\"", name_, stream_title_);
  window_->set_stream_title(stream_title_);
}

bool http_transfer::accept_response() {
  response_checked_ = true;
  long status = 0;
  curl_easy_getinfo(easy_.get(), CURLINFO_RESPONSE_CODE, &status);
  const auto refuse = [this](media_errc code, std::string_view detail) {
    fail(code, detail);
    return false;
  };
  if (!head_.malformed_header().empty())
    return refuse(media_errc::malformed, fmt::format("malformed {} header", head_.malformed_header()));
  std::uint64_t first = 0;  // stream offset of the body's first byte
  std::optional<std::uint64_t> total;
  if (status == 206) {
    if (!head_.range()) return refuse(media_errc::malformed, "206 response without Content-Range");
    first = head_.range()->first;
    total = head_.range()->complete_length;
  } else if (status == 200) {
    total = head_.content_length();
    range_ignored_ = range_ignored_ || offset_ > 0;
  } else {
    return refuse(media_errc::http_status, fmt::format("unexpected HTTP status {}", status));
  }
  if (first > offset_)
    return refuse(media_errc::malformed, fmt::format("asked for bytes from {}, got bytes from {}", offset_, first));
  discard_ = offset_ - first;
  if (discard_ > options_.max_discard_bytes)
    return refuse(media_errc::limit_exceeded,
                  fmt::format("the server ignored Range: reaching byte {} would discard {} bytes (limit {})",
                              offset_, discard_, options_.max_discard_bytes));
  if (size_ && total && *total != *size_)
    return refuse(media_errc::network, fmt::format("the resource changed size from {} to {} bytes", *size_, *total));
  char* effective_url = nullptr;
  if (curl_easy_getinfo(easy_.get(), CURLINFO_EFFECTIVE_URL, &effective_url) == CURLE_OK && effective_url != nullptr)
    final_url_ = effective_url;
  if (!established_) {
    body_description body = head_.body();
    body.location = final_url_.empty() ? url_ : final_url_;
    window_->describe_body(body);
    if (body.icy_metaint) icy_.emplace(*body.icy_metaint);
  }
  if (total && !icy_) size_ = total;
  seekable_ = !icy_ && !range_ignored_ && (seekable_ || status == 206 || head_.accepts_byte_ranges());
  established_ = true;
  window_->describe(generation_, size_, seekable_);
  return true;
}

void http_transfer::on_done(CURLcode result) {
  // A response without a body has not been looked at yet.
  if (result == CURLE_OK && !response_checked_ && !accept_response()) rejected_ = true;
  long status = 0;
  curl_easy_getinfo(easy_.get(), CURLINFO_RESPONSE_CODE, &status);
  const bool progressed = offset_ > attempt_offset_;
  end_attempt();
  // Already failed by a callback, or a seek made this generation obsolete.
  if (rejected_ || generation_ != window_->generation()) return;
  if (result == CURLE_OK) {
    if (size_ && offset_ < *size_)  // a partial 206, or a response that stopped short in good order
      return continue_or_fail(progressed, {media_errc::truncated,
                                           fmt::format("the server ended the response at byte {} of {}", offset_, *size_)});
    return window_->finish(generation_);
  }
  if (result == CURLE_HTTP_RETURNED_ERROR && status == 416 && established_)
    return fail(media_errc::truncated,
                size_ ? fmt::format("the server has no bytes from byte {} on, though it announced {} (HTTP status 416)",
                                    offset_, *size_)
                      : fmt::format("the server has no bytes from byte {} on (HTTP status 416)", offset_));
  auto reason = describe_curl_failure(result, status, curl_error_);
  if (established_ && (size_ || seekable_) && is_resumable(result)) return continue_or_fail(progressed, std::move(reason));
  if (reason.http_status != 0) return window_->fail(generation_, media_error(name_, reason.detail, reason.http_status));
  fail(reason.code, reason.detail);
}

void http_transfer::continue_or_fail(bool progressed, failure_reason reason) {
  if (progressed) resumes_without_progress_ = 0;
  if (resumes_without_progress_ >= options_.max_resume_attempts)
    return fail(reason.code, fmt::format("{} (at byte {}, after {} resume attempts)", reason.detail, offset_,
                                         resumes_without_progress_));
  const int doublings = std::min(std::max(resumes_without_progress_ - 1, 0), 16);
  const auto delay = resumes_without_progress_ == 0
                         ? std::chrono::milliseconds(0)
                         : std::min(options_.resume_backoff * (std::int64_t{1} << doublings), backoff_ceiling);
  ++resumes_without_progress_;
  resume_timer_.expires_after(delay);
  resume_timer_.async_wait([self = shared_from_this(), id = attempt_id_](const boost::system::error_code& ec) {
    if (!ec && id == self->attempt_id_) self->begin_attempt();
  });
}

void http_transfer::watch_for_stall() {
  stall_timer_.expires_at(last_progress_ + options_.stall_timeout);
  stall_timer_.async_wait([self = shared_from_this(), id = attempt_id_](const boost::system::error_code& ec) {
    if (ec || id != self->attempt_id_) return;
    const auto now = clock::now();
    if (self->paused_) {
      self->last_progress_ = now;  // waiting for the reader is not the server's stall
    } else if (now - self->last_progress_ >= self->options_.stall_timeout) {
      self->end_attempt();
      return self->fail(media_errc::timeout,
                        fmt::format("no data for {} ms", self->options_.stall_timeout.count()));
    }
    self->watch_for_stall();
  });
}

void http_transfer::fail(media_errc code, std::string_view detail) {
  window_->fail(generation_, media_error(code, name_, detail));
}

}  // namespace spence::net
