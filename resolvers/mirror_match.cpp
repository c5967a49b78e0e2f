#include "resolvers/mirror_match.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cstdlib>
#include <set>

namespace spence::resolvers {

namespace lavalink = net::lavalink;

namespace {

// ASCII for U+00C0..U+017F (Latin-1 Supplement and Latin Extended-A); ' ' for the signs among them.
constexpr std::string_view latin_folded =
    "AAAAAAACEEEEIIIIDNOOOOO OUUUUYTsaaaaaaaceeeeiiiidnooooo ouuuuyty"
    "AaAaAaCcCcCcCcDdDdEeEeEeEeEeGgGgGgGgHhHhIiIiIiIiIiIiJjKkkLlLlLlL"
    "lLlNnNnNnnNnOoOoOoOoRrRrRrSsSsSsSsTtTtTtUuUuUuUuUuUuWwYyYZzZzZzs";

// Lower case, accents folded, brackets kept, any other character that is not a letter or digit a
// space; other scripts' characters kept as they are (they compare byte for byte).
std::string folded(std::string_view text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c < 0x80) {
      const bool bracket = c == '(' || c == ')' || c == '[' || c == ']';
      out += std::isalnum(c) ? static_cast<char>(std::tolower(c)) : bracket ? static_cast<char>(c) : ' ';
      continue;
    }
    if (c == 0xE2 && i + 2 < text.size() && (text[i + 1] == '\x80' || text[i + 1] == '\x81')) {
      out += ' ';  // General Punctuation: dashes, curly quotes, ellipses
      i += 2;
      continue;
    }
    if ((c == 0xC3 || c == 0xC4 || c == 0xC5) && i + 1 < text.size()) {
      const unsigned code = ((c & 0x1F) << 6) | (static_cast<unsigned char>(text[i + 1]) & 0x3F);
      if (code >= 0xC0 && code < 0x180) {
        out += static_cast<char>(std::tolower(static_cast<unsigned char>(latin_folded[code - 0xC0])));
        ++i;
        continue;
      }
    }
    out += static_cast<char>(c);
  }
  return out;
}

bool is_feat(std::string_view word) { return word == "feat" || word == "ft" || word == "featuring"; }

bool is_noise(std::string_view word) {
  static constexpr std::array<std::string_view, 13> noise{"official", "video", "audio",  "lyrics", "lyric",
                                                          "hd",       "hq",    "4k",     "mv",     "visualizer",
                                                          "remaster", "remastered", "music"};
  if (std::find(noise.begin(), noise.end(), word) != noise.end()) return true;
  const bool year = word.size() == 4 && std::all_of(word.begin(), word.end(), [](char c) { return c >= '0' && c <= '9'; }) &&
                    (word.starts_with("19") || word.starts_with("20"));
  return year;
}

// Words of a folded title, brackets as separate tokens and " - " as "-".
std::vector<std::string> tokens_of(std::string_view folded_text) {
  std::vector<std::string> out;
  std::string word;
  const auto flush = [&] {
    if (!word.empty()) out.push_back(std::move(word));
    word.clear();
  };
  for (const char c : folded_text) {
    if (c == ' ') flush();
    else if (c == '(' || c == ')' || c == '[' || c == ']') {
      flush();
      out.emplace_back(1, c);
    } else word += c;
  }
  flush();
  return out;
}

std::vector<std::string> title_words(std::string_view title) {
  // " - " separates a title from its version ("Song - Radio Edit"): a feat. clause ends there.
  std::string marked(title);
  for (auto at = marked.find(" - "); at != std::string::npos; at = marked.find(" - ", at + 3)) marked.replace(at, 3, " [-] ");
  const auto tokens = tokens_of(folded(marked));
  std::vector<std::string> words;
  int depth = 0;
  int skipping_at = -1;  // the bracket depth a feat. clause started at, while skipping it
  for (const auto& t : tokens) {
    if (t == "(" || t == "[") {
      if (skipping_at == depth) skipping_at = -1;  // a bracket after "feat. X" outside brackets ends it
      ++depth;
      continue;
    }
    if (t == ")" || t == "]") {
      if (skipping_at == depth) skipping_at = -1;
      depth = std::max(depth - 1, 0);
      continue;
    }
    if (t == "-") {
      if (skipping_at >= 0 && skipping_at <= depth) skipping_at = -1;
      continue;
    }
    if (skipping_at >= 0) continue;
    if (is_feat(t)) {
      skipping_at = depth;
      continue;
    }
    if (!is_noise(t)) words.push_back(t);
  }
  return words;
}

std::set<std::string> word_set(std::string_view text) {
  const auto words = title_words(text);
  return {words.begin(), words.end()};
}

double share_found(const std::vector<std::string>& words, const std::set<std::string>& in) {
  if (words.empty()) return 1.0;
  const auto found = std::count_if(words.begin(), words.end(), [&](const auto& w) { return in.contains(w); });
  return static_cast<double>(found) / static_cast<double>(words.size());
}

bool has_phrase(const std::string& spaced, std::string_view phrase) {
  return spaced.find(" " + std::string(phrase) + " ") != std::string::npos;
}

// The variant the candidate is and the wanted title does not ask for, if any.
std::optional<std::string_view> unwanted_variant(const std::string& wanted, const std::string& candidate) {
  static constexpr std::array<std::string_view, 11> variants{"cover",  "live",    "remix",    "rmx",    "karaoke", "instrumental",
                                                             "sped up", "nightcore", "slowed", "reverb", "8d"};
  for (const auto v : variants)
    if (has_phrase(candidate, v) && !has_phrase(wanted, v)) return v;
  return std::nullopt;
}

std::string first_artist(std::string_view author) {
  for (const auto separator : {", ", " & ", " x ", " feat"})
    if (const auto at = author.find(separator); at != std::string_view::npos) author = author.substr(0, at);
  return std::string(author);
}

bool same_isrc(const lavalink::track_info& a, const lavalink::track_info& b) {
  if (!a.isrc || !b.isrc || a.isrc->empty()) return false;
  return std::equal(a.isrc->begin(), a.isrc->end(), b.isrc->begin(), b.isrc->end(),
                    [](char x, char y) { return std::toupper(static_cast<unsigned char>(x)) == std::toupper(static_cast<unsigned char>(y)); });
}

}  // namespace

std::string normalised_title(std::string_view title) {
  std::string out;
  for (const auto& w : title_words(title)) out += (out.empty() ? "" : " ") + w;
  return out;
}

match_score score_match(const lavalink::track_info& wanted, const lavalink::track_info& candidate, const match_settings& settings) {
  if (same_isrc(wanted, candidate)) return {true, 2.0, "same ISRC"};
  if (candidate.is_stream) return {false, 0, "a live stream"};
  // Variants are looked for in the raw words (before feat. clauses and noise are dropped).
  const auto spaced = [](std::string_view text) {
    auto f = folded(text);
    std::replace_if(f.begin(), f.end(), [](char c) { return c == '(' || c == ')' || c == '[' || c == ']'; }, ' ');
    std::string out = " ";
    for (const char c : f)
      if (c != ' ' || out.back() != ' ') out += c;
    return out + " ";
  };
  if (auto v = unwanted_variant(spaced(wanted.title), spaced(candidate.title))) return {false, 0, fmt::format("a {} version", *v)};

  double duration = 0.5;
  if (wanted.length_ms > 0 && candidate.length_ms > 0) {
    const auto tolerance = std::max<double>(static_cast<double>(settings.min_tolerance.count()),
                                            settings.relative_tolerance * static_cast<double>(wanted.length_ms));
    const auto off = static_cast<double>(std::llabs(wanted.length_ms - candidate.length_ms));
    if (off > tolerance) return {false, 0, fmt::format("its length is {:.0f} s off", off / 1000)};
    duration = 1.0 - off / tolerance;
  }
  const auto wanted_title = title_words(wanted.title);
  const auto wanted_artist = title_words(first_artist(wanted.author));
  auto found_in = word_set(candidate.title);
  for (const auto& w : title_words(candidate.author)) found_in.insert(w);
  const double recall = share_found(wanted_title, found_in);
  if (recall < 0.5) return {false, 0, fmt::format("its title shares {:.0f} % of the words", recall * 100)};
  std::set<std::string> wanted_words(wanted_title.begin(), wanted_title.end());
  for (const auto& w : title_words(wanted.author)) wanted_words.insert(w);
  const double precision = share_found(title_words(candidate.title), wanted_words);
  const double title = 0.75 * recall + 0.25 * precision;
  const double artist = share_found(wanted_artist, found_in);
  const double score = 0.5 * title + 0.3 * artist + 0.2 * duration;
  return {score >= settings.min_score, score,
          fmt::format("score {:.2f} (title {:.2f}, artist {:.2f}, duration {:.2f})", score, title, artist, duration)};
}

std::optional<chosen_match> best_match(const lavalink::track_info& wanted, std::span<const lavalink::decoded_track> candidates,
                                       const match_settings& settings) {
  std::optional<chosen_match> best;
  for (std::size_t i = 0; i < candidates.size(); ++i) {
    auto s = score_match(wanted, candidates[i].info, settings);
    if (s.acceptable && (!best || s.score > best->score.score)) best = chosen_match{i, std::move(s)};
  }
  return best;
}

}  // namespace spence::resolvers
