// Corpus, exercise 6: a correct solution whose term-mismatch hint is the conflicting term and prevLogIndex itself.

import { firstIndexOfTerm, type AppendDecision, type AppendEntries, type FollowerState, type LogEntry } from "@course/raft";
import type { Expectation } from "../../corpus.js";

export const expectation: Expectation = {
  correct: true,
  why: "a different valid hint: on a term mismatch it reports the conflicting term with conflictIndex = prevLogIndex (an index that holds that term) instead of that term's first index",
};

export function handleAppendEntries(follower: FollowerState, req: AppendEntries): AppendDecision {
  const { log, commitIndex } = follower;
  if (req.term < follower.currentTerm) return { success: false, append: [], commitIndex, matchIndex: 0 };
  if (log.lastIndex < req.prevLogIndex) return { success: false, append: [], commitIndex, matchIndex: 0, conflictIndex: log.lastIndex + 1 };
  const term = log.termAt(req.prevLogIndex);
  if (term !== req.prevLogTerm) return { success: false, append: [], commitIndex, matchIndex: 0, conflictIndex: req.prevLogIndex, conflictTerm: term as number };
  let k = 0;
  while (k < req.entries.length && (req.entries[k] as LogEntry).index <= log.lastIndex && log.termAt((req.entries[k] as LogEntry).index) === (req.entries[k] as LogEntry).term) k++;
  const append = req.entries.slice(k);
  const matchIndex = req.prevLogIndex + req.entries.length;
  const decision: AppendDecision = { success: true, append, commitIndex: Math.max(commitIndex, Math.min(req.leaderCommit, matchIndex)), matchIndex };
  const first = append[0];
  return first !== undefined && first.index <= log.lastIndex ? { ...decision, truncateFrom: first.index } : decision;
}
