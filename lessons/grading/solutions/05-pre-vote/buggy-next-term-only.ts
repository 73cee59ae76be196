// Corpus, exercise 5b: a buggy solution: only the very next term is accepted.

import { isLogUpToDate, type PreVote, type VoterState } from "@course/raft";
import type { Expectation } from "../../corpus.js";

export const expectation: Expectation = { correct: false, why: "grants only req.term === currentTerm + 1: a candidate whose term is more than one ahead of a voter that missed some terms is refused" };

export function handlePreVote(voter: VoterState & { readonly leaderRecentlyHeard: boolean }, req: PreVote): boolean {
  if (req.term !== voter.currentTerm + 1 || voter.leaderRecentlyHeard) return false;
  return isLogUpToDate(req.lastLogTerm, req.lastLogIndex, voter.lastLogTerm, voter.lastLogIndex);
}
