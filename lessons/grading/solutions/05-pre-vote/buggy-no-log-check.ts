// Corpus, exercise 5b: a buggy solution: the log is not compared.

import { isLogUpToDate, type PreVote, type VoterState } from "@course/raft";
import type { Expectation } from "../../corpus.js";

export const expectation: Expectation = { correct: false, why: "grants without the §5.4.1 check, so a stale server wins pre-votes and starts real elections it cannot win" };

export function handlePreVote(voter: VoterState & { readonly leaderRecentlyHeard: boolean }, req: PreVote): boolean {
  return req.term > voter.currentTerm && !voter.leaderRecentlyHeard;
}
