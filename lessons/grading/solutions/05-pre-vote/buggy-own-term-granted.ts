// Corpus, exercise 5b: a buggy solution: a pre-vote for the voter's own term is granted.

import { isLogUpToDate, type PreVote, type VoterState } from "@course/raft";
import type { Expectation } from "../../corpus.js";

export const expectation: Expectation = { correct: false, why: "uses >= for the terms: a pre-vote for the voter's current term is granted, an election that cannot happen" };

export function handlePreVote(voter: VoterState & { readonly leaderRecentlyHeard: boolean }, req: PreVote): boolean {
  return req.term >= voter.currentTerm && !voter.leaderRecentlyHeard && isLogUpToDate(req.lastLogTerm, req.lastLogIndex, voter.lastLogTerm, voter.lastLogIndex);
}
