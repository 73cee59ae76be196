// Corpus, exercise 6: a correct solution whose refusals hint the index after its commit index, without a term.

import { firstIndexOfTerm, type AppendDecision, type AppendEntries, type FollowerState, type LogEntry } from "@course/raft";
import type { Expectation } from "../../corpus.js";

export const expectation: Expectation = {
  correct: true,
  why: "a different valid hint: conflictIndex = commitIndex + 1 (every committed entry matches the leader's, so the leader never goes back further than needed to pass them and always moves back)",
};

export function handleAppendEntries(follower: FollowerState, req: AppendEntries): AppendDecision {
  const { log, commitIndex } = follower;
  const refuse = (conflictIndex?: number): AppendDecision => (conflictIndex === undefined ? { success: false, append: [], commitIndex, matchIndex: 0 } : { success: false, append: [], commitIndex, matchIndex: 0, conflictIndex });
  if (req.term < follower.currentTerm) return refuse();
  if (req.prevLogIndex > log.lastIndex || log.termAt(req.prevLogIndex) !== req.prevLogTerm) return refuse(commitIndex + 1);
  const firstNew = req.entries.findIndex((e) => e.index > log.lastIndex || log.termAt(e.index) !== e.term);
  const append = firstNew < 0 ? [] : req.entries.slice(firstNew);
  const first = append[0];
  const truncateFrom = first !== undefined && first.index <= log.lastIndex ? first.index : undefined;
  const matchIndex = req.prevLogIndex + req.entries.length;
  const next = req.leaderCommit > commitIndex ? Math.min(req.leaderCommit, matchIndex) : commitIndex;
  return truncateFrom === undefined ? { success: true, append, commitIndex: Math.max(next, commitIndex), matchIndex } : { success: true, truncateFrom, append, commitIndex: Math.max(next, commitIndex), matchIndex };
}
