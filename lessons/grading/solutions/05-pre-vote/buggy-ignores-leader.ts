// Corpus, exercise 5b: a buggy solution: the live leader is not considered.

import { isLogUpToDate, type PreVote, type VoterState } from "@course/raft";
import type { Expectation } from "../../corpus.js";

export const expectation: Expectation = { correct: false, why: "grants pre-votes while a live leader is heard, so a server cut off from the leader forces an election anyway" };

export function handlePreVote(voter: VoterState & { readonly leaderRecentlyHeard: boolean }, req: PreVote): boolean {
  return req.term > voter.currentTerm && isLogUpToDate(req.lastLogTerm, req.lastLogIndex, voter.lastLogTerm, voter.lastLogIndex);
}
