// `spence bench` in a build without the benchmarks (SPENCE_BENCHMARKS=OFF: the sanitizer presets,
// which measure nothing and build faster without them): every benchmark says so and fails.

#include "app/commands.hpp"

#include <fmt/format.h>

namespace spence::app {
namespace {

int not_built(const char* name) {
  fmt::print(stderr,
             "spence bench {}: the benchmarks are not built in this configuration (SPENCE_BENCHMARKS=OFF); "
             "build the default preset to run them\n",
             name);
  return 2;
}

}  // namespace

int run_actors_bench(const actors_bench_options&) { return not_built("actors"); }
int run_pipeline_bench(const pipeline_bench_options&) { return not_built("pipeline"); }
int run_dave_bench(const dave_bench_options&) { return not_built("dave"); }
int run_resolvers_bench(const resolvers_bench_options&) { return not_built("resolvers"); }
int run_players_bench(const players_bench_options&) { return not_built("players"); }
int run_voice_bench(const voice_bench_options&) { return not_built("voice"); }

}  // namespace spence::app
