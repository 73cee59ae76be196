// Corpus, exercise 6: a buggy solution: the mismatch hint names the leader's term.

import { firstIndexOfTerm, type AppendDecision, type AppendEntries, type FollowerState, type LogEntry } from "@course/raft";
import type { Expectation } from "../../corpus.js";

export const expectation: Expectation = { correct: false, why: "on a term mismatch it reports the leader's prevLogTerm as the conflicting term: the leader has entries of that term up to prevLogIndex, so it resumes where it was and never repairs the follower" };

export function handleAppendEntries(follower: FollowerState, req: AppendEntries): AppendDecision {
  const { log, commitIndex } = follower;
  if (req.term < follower.currentTerm) return { success: false, append: [], commitIndex, matchIndex: 0 };
  if (req.prevLogIndex > log.lastIndex) return { success: false, append: [], commitIndex, matchIndex: 0, conflictIndex: log.lastIndex + 1 };
  const prevTerm = log.termAt(req.prevLogIndex) as number;
  if (prevTerm !== req.prevLogTerm) {
    return { success: false, append: [], commitIndex, matchIndex: 0, conflictTerm: req.prevLogTerm, conflictIndex: Math.min(req.prevLogIndex, firstIndexOfTerm(log, req.prevLogTerm, req.prevLogIndex)) };
  }
  let truncateFrom: number | undefined;
  let append: LogEntry[] = [];
  for (let k = 0; k < req.entries.length; k++) {
    const e = req.entries[k] as LogEntry;
    if (e.index > log.lastIndex) {
      append = req.entries.slice(k);
      break;
    }
    if (log.termAt(e.index) !== e.term) {
      truncateFrom = e.index;
      append = req.entries.slice(k);
      break;
    }
  }
  const lastNew = req.prevLogIndex + req.entries.length;
  const newCommit = req.leaderCommit > commitIndex ? Math.min(req.leaderCommit, lastNew) : commitIndex;
  return { success: true, truncateFrom, append, commitIndex: newCommit, matchIndex: lastNew };
}
