#include "net/lavalink/lavalink_filters.hpp"

#include <boost/describe/members.hpp>
#include <boost/mp11/algorithm.hpp>

#include <fmt/format.h>

#include <cctype>
#include <stdexcept>

namespace spence::net::lavalink {

namespace json = boost::json;

namespace {

// "left_to_right" -> "leftToRight": the engine's field names are Lavalink's, in snake case.
std::string camel_case(std::string_view snake) {
  std::string out;
  bool upper = false;
  for (const char c : snake) {
    if (c == '_') {
      upper = true;
      continue;
    }
    out.push_back(upper ? static_cast<char>(std::toupper(static_cast<unsigned char>(c))) : c);
    upper = false;
  }
  return out;
}

struct bad_filter {
  std::string message;
};

double number(const json::value& v, const std::string& where) {
  if (!v.is_number()) throw bad_filter{where + " must be a number"};
  return v.to_number<double>();
}

// A filter object: each described field read when present, Lavalink's default otherwise.
template <class Settings>
Settings settings_from(const json::value& v, const std::string& name) {
  if (!v.is_object()) throw bad_filter{name + " must be an object"};
  Settings settings;
  boost::mp11::mp_for_each<boost::describe::describe_members<Settings, boost::describe::mod_public>>([&](auto member) {
    if (const auto* field = v.as_object().if_contains(camel_case(member.name))) {
      using field_type = std::remove_reference_t<decltype(settings.*member.pointer)>;
      settings.*member.pointer = static_cast<field_type>(number(*field, name + "." + camel_case(member.name)));
    }
  });
  return settings;
}

template <class Settings>
json::object settings_to(const Settings& settings) {
  json::object out;
  boost::mp11::mp_for_each<boost::describe::describe_members<Settings, boost::describe::mod_public>>(
      [&](auto member) { out[camel_case(member.name)] = static_cast<double>(settings.*member.pointer); });
  return out;
}

engine::equalizer_settings equalizer_from(const json::value& v) {
  if (!v.is_array()) throw bad_filter{"equalizer must be a list of bands"};
  engine::equalizer_settings eq;
  for (const auto& band : v.as_array()) {
    if (!band.is_object()) throw bad_filter{"equalizer bands must be objects"};
    const auto* index = band.as_object().if_contains("band");
    if (!index || !(index->is_int64() || index->is_uint64())) throw bad_filter{"equalizer band must be an integer"};
    // Read in the integer's own type: one past int64's range comes as uint64 (no exact int64).
    const auto count = static_cast<std::uint64_t>(engine::equalizer_band_count);
    const bool in_range = index->is_int64() ? index->get_int64() >= 0 && static_cast<std::uint64_t>(index->get_int64()) < count
                                            : index->get_uint64() < count;
    if (!in_range)
      throw bad_filter{fmt::format("equalizer band must be between 0 and {}", engine::equalizer_band_count - 1)};
    const auto i = index->is_int64() ? static_cast<std::uint64_t>(index->get_int64()) : index->get_uint64();
    const auto* gain = band.as_object().if_contains("gain");
    eq.gains[static_cast<std::size_t>(i)] = gain ? static_cast<float>(number(*gain, "equalizer gain")) : 1.0f;
  }
  return eq;
}

json::array equalizer_to(const engine::equalizer_settings& eq) {
  json::array out;
  for (std::size_t i = 0; i < eq.gains.size(); ++i)
    out.push_back(json::object{{"band", i}, {"gain", static_cast<double>(eq.gains[i])}});
  return out;
}

// Reads the filter `name` into `slot` when present and not null.
template <class Settings, class Read>
void read_filter(const json::object& o, std::string_view name, std::optional<Settings>& slot, Read read) {
  const auto* v = o.if_contains(name);
  if (v && !v->is_null()) slot = read(*v);
}

}  // namespace

boost::system::result<engine::filter_settings, std::string> filters_from_json(const json::value& value) {
  try {
    if (!value.is_object()) throw bad_filter{"filters must be an object"};
    const auto& o = value.as_object();
    engine::filter_settings f;
    read_filter(o, "volume", f.volume,
                [](const json::value& v) { return engine::volume_settings{static_cast<float>(number(v, "volume"))}; });
    read_filter(o, "equalizer", f.equalizer, equalizer_from);
    read_filter(o, "karaoke", f.karaoke, [](const json::value& v) { return settings_from<engine::karaoke_settings>(v, "karaoke"); });
    read_filter(o, "timescale", f.timescale,
                [](const json::value& v) { return settings_from<engine::timescale_settings>(v, "timescale"); });
    read_filter(o, "tremolo", f.tremolo, [](const json::value& v) { return settings_from<engine::tremolo_settings>(v, "tremolo"); });
    read_filter(o, "vibrato", f.vibrato, [](const json::value& v) { return settings_from<engine::vibrato_settings>(v, "vibrato"); });
    read_filter(o, "rotation", f.rotation,
                [](const json::value& v) { return settings_from<engine::rotation_settings>(v, "rotation"); });
    read_filter(o, "distortion", f.distortion,
                [](const json::value& v) { return settings_from<engine::distortion_settings>(v, "distortion"); });
    read_filter(o, "channelMix", f.channel_mix,
                [](const json::value& v) { return settings_from<engine::channel_mix_settings>(v, "channelMix"); });
    read_filter(o, "lowPass", f.low_pass, [](const json::value& v) { return settings_from<engine::low_pass_settings>(v, "lowPass"); });
    engine::validate(f);
    return f;
  } catch (const bad_filter& e) {
    return e.message;
  } catch (const std::invalid_argument& e) {
    return std::string(e.what());
  }
}

json::object filters_to_json(const engine::filter_settings& f) {
  json::object out;
  if (f.volume) out["volume"] = static_cast<double>(f.volume->volume);
  if (f.equalizer) out["equalizer"] = equalizer_to(*f.equalizer);
  if (f.karaoke) out["karaoke"] = settings_to(*f.karaoke);
  if (f.timescale) out["timescale"] = settings_to(*f.timescale);
  if (f.tremolo) out["tremolo"] = settings_to(*f.tremolo);
  if (f.vibrato) out["vibrato"] = settings_to(*f.vibrato);
  if (f.rotation) out["rotation"] = settings_to(*f.rotation);
  if (f.distortion) out["distortion"] = settings_to(*f.distortion);
  if (f.channel_mix) out["channelMix"] = settings_to(*f.channel_mix);
  if (f.low_pass) out["lowPass"] = settings_to(*f.low_pass);
  return out;
}

}  // namespace spence::net::lavalink
