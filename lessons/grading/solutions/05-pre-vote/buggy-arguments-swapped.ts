// Corpus, exercise 5b: a buggy solution: the up-to-date comparison has its arguments swapped.

import { isLogUpToDate, type PreVote, type VoterState } from "@course/raft";
import type { Expectation } from "../../corpus.js";

export const expectation: Expectation = { correct: false, why: "asks whether the voter's log is up-to-date compared with the candidate's: it grants stale candidates and refuses better ones" };

export function handlePreVote(voter: VoterState & { readonly leaderRecentlyHeard: boolean }, req: PreVote): boolean {
  return req.term > voter.currentTerm && !voter.leaderRecentlyHeard && isLogUpToDate(voter.lastLogTerm, voter.lastLogIndex, req.lastLogTerm, req.lastLogIndex);
}
