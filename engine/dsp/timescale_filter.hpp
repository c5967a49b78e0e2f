#pragma once
// Lavalink's timescale, on SoundTouch: speed changes the tempo and keeps the pitch, pitch changes
// the pitch and keeps the length, rate changes both (a record played faster). The output holds
// 1 / (speed * rate) frames per input frame, so unlike the other filters this one does not work in
// place: frames go in with put() and come out with take(), after SoundTouch's processing latency
// (measured 20-140 ms of output at 48 kHz). Both channels go through one stereo SoundTouch so the splice
// points it picks are the same in both and the stereo image stays aligned.

#include <boost/describe/class.hpp>
#include <cstddef>
#include <memory>
#include <span>
#include <vector>

namespace soundtouch {
class SoundTouch;
}

namespace spence::engine {

struct timescale_settings {
  double speed = 1.0;  // tempo factor
  double pitch = 1.0;  // pitch factor
  double rate = 1.0;   // tempo and pitch factor

  bool enabled() const noexcept { return speed != 1.0 || pitch != 1.0 || rate != 1.0; }
};
BOOST_DESCRIBE_STRUCT(timescale_settings, (), (speed, pitch, rate))

// Each factor in [0.1, 10]. Lavalink documents "0.0 <= x" and checks nothing, but 0 means no
// playback at all (SoundTouch silently ignores it), and near 0 or far above 1 one 20 ms block turns
// into seconds of output or needs seconds of input before any output, so spence bounds the work.
void validate(const timescale_settings& settings);

class timescale_filter {
 public:
  static constexpr double min_factor = 0.1;
  static constexpr double max_factor = 10.0;

  explicit timescale_filter(const timescale_settings& settings);  // validates
  ~timescale_filter();
  timescale_filter(timescale_filter&&) noexcept;
  timescale_filter& operator=(timescale_filter&&) noexcept;

  // Queues interleaved stereo input (frames = size / 2); a NaN or infinity counts as silence.
  void put(std::span<const float> stereo);
  // Moves up to stereo_out.size() / 2 processed frames out; returns how many it wrote. A sample that
  // SoundTouch's arithmetic overflowed (input near the float limit) comes out as silence.
  std::size_t take(std::span<float> stereo_out);
  // The end of the stream: pads SoundTouch with silence until everything put so far has come out,
  // trimmed to round(input frames / (speed * rate)), for take() to collect. SoundTouch pads a bounded
  // amount, so when speed / pitch is far above 1 (splice windows of seconds of input) the last
  // window can be cut short. Call reset() before putting a new stream.
  void flush();
  // Drops everything queued and processed (after a seek); the next put starts a fresh stream.
  void reset();

 private:
  std::unique_ptr<soundtouch::SoundTouch> stretch_;
  std::vector<float> clean_;  // the input with non-finite samples silenced, one slice at a time
};

}  // namespace spence::engine
