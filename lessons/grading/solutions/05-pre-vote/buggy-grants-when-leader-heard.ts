// Corpus, exercise 5b: a buggy solution: the leader test is inverted.

import { isLogUpToDate, type PreVote, type VoterState } from "@course/raft";
import type { Expectation } from "../../corpus.js";

export const expectation: Expectation = { correct: false, why: "grants only while a leader is heard: a cluster whose leader died never gets past PreVote" };

export function handlePreVote(voter: VoterState & { readonly leaderRecentlyHeard: boolean }, req: PreVote): boolean {
  return req.term > voter.currentTerm && voter.leaderRecentlyHeard && isLogUpToDate(req.lastLogTerm, req.lastLogIndex, voter.lastLogTerm, voter.lastLogIndex);
}
