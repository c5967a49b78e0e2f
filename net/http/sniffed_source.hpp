#pragma once
// A byte source whose first bytes were already read (to see what it is) and are read again: the
// prefix first, then the rest of the source. It cannot seek back into the prefix unless the
// source itself can seek.

#include "engine/byte_source.hpp"

#include <memory>
#include <vector>

namespace spence::net {

class sniffed_source final : public engine::byte_source {
 public:
  sniffed_source(std::vector<std::uint8_t> prefix, std::unique_ptr<engine::byte_source> rest);

  std::size_t read(std::span<std::uint8_t> out) override;
  bool seekable() const override { return rest_->seekable(); }
  void seek(std::uint64_t offset) override;
  std::optional<std::uint64_t> size() const override { return rest_->size(); }
  std::size_t available() const override { return prefix_.size() - used_ + rest_->available(); }
  bool may_wait() const override { return rest_->may_wait(); }
  bool may_ever_wait() const override { return rest_->may_ever_wait(); }
  const std::string& name() const override { return rest_->name(); }
  std::string stream_title() const override { return rest_->stream_title(); }

 private:
  std::vector<std::uint8_t> prefix_;
  std::size_t used_ = 0;  // prefix bytes read again so far
  std::unique_ptr<engine::byte_source> rest_;
};

}  // namespace spence::net
