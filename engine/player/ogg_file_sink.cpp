#include "engine/player/ogg_file_sink.hpp"

#include "engine/media_error.hpp"

#include <spdlog/spdlog.h>

#include <cerrno>
#include <cstring>

namespace spence::engine {

ogg_file_sink::ogg_file_sink(const std::filesystem::path& path, const opus_head& head, std::uint32_t serial)
    : path_(path.string()) {
  errno = 0;
  file_.open(path, std::ios::binary | std::ios::trunc);
  if (!file_) {
    // libstdc++ opens through the C library, which leaves the reason in errno.
    const std::string reason = errno != 0 ? std::strerror(errno) : "unknown reason";
    throw media_error(media_errc::io, path_, "cannot create the file for writing: " + reason);
  }
  try {
    writer_.emplace(file_, head, serial, "spence");
  } catch (const media_error& e) {
    throw media_error(media_errc::io, path_, std::string("cannot write the Ogg Opus headers: ") + e.what());
  }
}

void ogg_file_sink::send(const outgoing_frame& frame) {
  if (!writer_) {
    ++dropped_;
    if (!file_failed_) log_once(failure::after_end, "packet after the end of the stream");
    return;
  }
  try {
    writer_->write(frame.opus);
    ++sent_;
  } catch (const media_error& e) {
    ++dropped_;
    if (e.code() == media_errc::io) {
      file_failed_ = true;
      writer_.reset();  // its destructor's finish() fails quietly on the broken stream
      log_once(failure::file_failed, e.what());
    } else {
      log_once(failure::refused_packet, e.what());
    }
  }
}

void ogg_file_sink::flush() {
  if (!writer_) return;
  try {
    writer_->finish();
    writer_.reset();
    if (!file_.flush()) throw media_error(media_errc::io, path_, "the file failed");
  } catch (const media_error& e) {
    file_failed_ = true;
    writer_.reset();
    log_once(failure::file_failed, e.what());
  }
}

void ogg_file_sink::log_once(failure kind, std::string_view what) {
  const auto bit = static_cast<unsigned>(kind);
  if ((logged_ & bit) != 0) return;
  logged_ |= bit;
  spdlog::warn("Ogg file sink {}: {}; dropping packets", path_, what);
}

}  // namespace spence::engine
