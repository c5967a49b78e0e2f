// mirror_match's score: the same ISRC wins; covers, live versions, remixes, karaoke,
// instrumentals, sped-up and nightcore edits are refused unless the wanted title names them; the
// duration tolerance; and the normalisation of titles ("feat.", brackets, accents, case, noise).

#include "resolvers/mirror_match.hpp"

#include <gtest/gtest.h>

namespace spence::resolvers {
namespace {

namespace lavalink = net::lavalink;

lavalink::track_info info(std::string title, std::string author, std::int64_t ms, std::optional<std::string> isrc = {}) {
  lavalink::track_info i;
  i.title = std::move(title);
  i.author = std::move(author);
  i.length_ms = ms;
  i.isrc = std::move(isrc);
  return i;
}

lavalink::decoded_track candidate(std::string title, std::string author, std::int64_t ms, std::optional<std::string> isrc = {}) {
  return {info(std::move(title), std::move(author), ms, std::move(isrc)), std::nullopt, {}};
}

const auto wanted = info("Midnight Drive (feat. Luna Vale)", "Night Owls, Luna Vale", 201000, "QZFZ12400001");

TEST(mirror_match, TitlesAreNormalised) {
  EXPECT_EQ(normalised_title("Midnight Drive (feat. Luna Vale)"), "midnight drive");
  EXPECT_EQ(normalised_title("Midnight Drive ft. Luna Vale - Radio Edit"), "midnight drive radio edit");
  EXPECT_EQ(normalised_title("MIDNIGHT   DRIVE [Official Video] (2024 Remaster)"), "midnight drive");
  EXPECT_EQ(normalised_title("Café Déjà Vu — Señor Ökonom"), "cafe deja vu senor okonom");
  EXPECT_EQ(normalised_title("Ÿes Łódź Škoda"), "yes lodz skoda");
  EXPECT_EQ(normalised_title("Song (featuring A & B) [Live]"), "song live");
  EXPECT_EQ(normalised_title("Don't Stop Me Now"), "don t stop me now");
}

TEST(mirror_match, TheSameIsrcWinsWhateverElseDiffers) {
  const std::vector<lavalink::decoded_track> found{candidate("Midnight Drive", "Night Owls", 201000),
                                                   candidate("Totally Different Upload", "someone", 90000, "qzfz12400001")};
  auto best = best_match(wanted, found);
  ASSERT_TRUE(best);
  EXPECT_EQ(best->index, 1u);
  EXPECT_EQ(best->score.reason, "same ISRC");
}

TEST(mirror_match, VariantsAreAvoidedUnlessAskedFor) {
  for (const auto* title : {"Midnight Drive (Cover)", "Midnight Drive - Live at Wembley", "Midnight Drive (Nightcore Remix)",
                            "Midnight Drive Karaoke", "Midnight Drive (Instrumental)", "Midnight Drive (sped up)",
                            "Midnight Drive - Sped-Up", "Midnight Drive [slowed + reverb]", "Midnight Drive RMX"}) {
    const auto s = score_match(wanted, candidate(title, "Night Owls", 201000).info);
    EXPECT_FALSE(s.acceptable) << title;
    EXPECT_TRUE(s.reason.ends_with("version")) << title << ": " << s.reason;
  }
  const auto remix = info("Midnight Drive (Nightcore Remix)", "Night Owls", 151000);
  EXPECT_TRUE(score_match(remix, candidate("Night Owls - Midnight Drive (Nightcore Remix)", "Speedy", 150000).info).acceptable);
  const auto live = info("Live Forever", "Night Owls", 200000);
  EXPECT_TRUE(score_match(live, candidate("Live Forever", "Night Owls", 200000).info).acceptable);
}

TEST(mirror_match, TheRightOneIsChosenAmongVariants) {
  const std::vector<lavalink::decoded_track> found{
      candidate("Midnight Drive (Cover)", "Cover Kid", 201000), candidate("Night Owls - Midnight Drive (Live)", "Night Owls", 262000),
      candidate("Open Highway", "Night Owls", 201000), candidate("Night Owls - Midnight Drive (Official Video)", "NightOwlsVEVO", 214000),
      candidate("Midnight Drive", "Night Owls - Topic", 202000)};
  auto best = best_match(info("Midnight Drive (feat. Luna Vale)", "Night Owls, Luna Vale", 201000), found);
  ASSERT_TRUE(best);
  EXPECT_EQ(best->index, 4u) << best->score.reason;  // the official video runs 13 s long: the Topic upload is closer
}

TEST(mirror_match, TheDurationMustBeWithinTolerance) {
  // 15 s, or 10 % of the wanted length when that is more: 20.1 s here.
  EXPECT_TRUE(score_match(wanted, candidate("Midnight Drive", "Night Owls", 221000).info).acceptable);
  const auto far = score_match(wanted, candidate("Midnight Drive", "Night Owls", 222000).info);
  EXPECT_FALSE(far.acceptable);
  EXPECT_EQ(far.reason, "its length is 21 s off");
  const auto short_one = info("Short", "Night Owls", 60000);
  EXPECT_TRUE(score_match(short_one, candidate("Short", "Night Owls", 74000).info).acceptable);
  EXPECT_FALSE(score_match(short_one, candidate("Short", "Night Owls", 76000).info).acceptable);
  const auto long_one = info("Long Suite", "Night Owls", 600000);
  EXPECT_TRUE(score_match(long_one, candidate("Long Suite", "Night Owls", 655000).info).acceptable);
  EXPECT_FALSE(score_match(long_one, candidate("Long Suite", "Night Owls", 665000).info).acceptable);
  auto stream = candidate("Midnight Drive", "Night Owls", 201000);
  stream.info.is_stream = true;
  EXPECT_FALSE(score_match(wanted, stream.info).acceptable);
}

TEST(mirror_match, OtherSongsAndOtherArtistsScoreLow) {
  EXPECT_FALSE(score_match(wanted, candidate("Open Highway", "Night Owls", 201000).info).acceptable);
  const auto other_artist = score_match(wanted, candidate("Midnight Drive", "Somebody Else Entirely", 205000).info);
  const auto right_artist = score_match(wanted, candidate("Midnight Drive", "Night Owls", 201000).info);
  EXPECT_LT(other_artist.score, right_artist.score);
  EXPECT_FALSE(other_artist.acceptable) << other_artist.reason;
  EXPECT_TRUE(right_artist.acceptable);
  EXPECT_FALSE(best_match(wanted, std::vector<lavalink::decoded_track>{}));
}

TEST(mirror_match, CaseAndAccentsDoNotMatter) {
  const auto accented = info("Café del Mar", "Énergie", 180000);
  EXPECT_TRUE(score_match(accented, candidate("CAFE DEL MAR", "energie", 181000).info).acceptable);
}

}  // namespace
}  // namespace spence::resolvers
