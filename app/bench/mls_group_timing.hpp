#pragma once
// What DAVE's MLS group operations cost in a group of N members (issue 6 asks for 2, 25 and 99):
// committing one external Add of a newcomer (with its Welcome), a member applying that commit,
// the newcomer joining from the Welcome, then committing its Remove (which needs an UpdatePath:
// path secrets HPKE-encrypted to the others' subtrees) and a member applying that. Milliseconds
// of thread CPU, the median over `rounds` groups built afresh (by add-only commits, as DAVE's
// gateway grows a call).

#include <boost/json/array.hpp>

#include <span>

namespace spence::app::bench {

boost::json::array time_mls_group_operations(std::span<const int> member_counts, int rounds);

}  // namespace spence::app::bench
