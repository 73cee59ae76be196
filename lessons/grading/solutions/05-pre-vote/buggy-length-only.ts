// Corpus, exercise 5b: a buggy solution: the log comparison looks at lengths only.

import { isLogUpToDate, type PreVote, type VoterState } from "@course/raft";
import type { Expectation } from "../../corpus.js";

export const expectation: Expectation = { correct: false, why: "decides up-to-date by length alone, so a longer log of older terms is granted" };

export function handlePreVote(voter: VoterState & { readonly leaderRecentlyHeard: boolean }, req: PreVote): boolean {
  return req.term > voter.currentTerm && !voter.leaderRecentlyHeard && req.lastLogIndex >= voter.lastLogIndex;
}
