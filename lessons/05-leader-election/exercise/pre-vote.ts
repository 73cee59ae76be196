// Exercise 5b: the PreVote handler, which keeps a server that was cut off from disrupting a healthy cluster. Then run `npm run grade 5`.

import { isLogUpToDate, type PreVote, type VoterState } from "@course/raft";

// isLogUpToDate(candidateLastTerm, candidateLastIndex, voterLastTerm, voterLastIndex) is the §5.4.1 comparison
// you wrote in request-vote.ts (you may use the course's version here).

/**
 * PreVote (Raft thesis §9.6): before a server bumps its term and starts a real election, it asks "would you
 * vote for me in term `req.term`?". Answering changes nothing on the voter (no term change, no votedFor).
 * Grant it (return true) exactly when all three of these hold, and refuse (return false) otherwise:
 * - req.term > voter.currentTerm (the proposed election would be for a newer term than the voter's; a candidate may
 *   be several terms ahead of a voter that missed some elections),
 * - the voter has not heard from a live leader recently (`voter.leaderRecentlyHeard` is false): a cluster
 *   with a working leader must not be disrupted,
 * - the candidate's log is at least as up-to-date as the voter's (§5.4.1), as for a real vote: its last term is
 *   higher, or the last terms are equal and its last index is >= the voter's.
 * Unlike RequestVote, votedFor plays no part: it is the vote of the voter's current term, and the pre-vote asks
 * about a newer term in which the voter has not voted yet.
 */
export function handlePreVote(voter: VoterState & { readonly leaderRecentlyHeard: boolean }, req: PreVote): boolean {
  throw new Error("TODO: handlePreVote (Raft thesis §9.6)");
}
