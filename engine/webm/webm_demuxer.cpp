#include "engine/webm/webm_demuxer.hpp"

#include "engine/webm/webm_opus_demuxer.hpp"

namespace spence::engine {

std::unique_ptr<opus_demuxer> open_webm(std::unique_ptr<byte_reader> reader) {
  return std::make_unique<webm_opus_demuxer>(std::move(reader));
}

}  // namespace spence::engine
