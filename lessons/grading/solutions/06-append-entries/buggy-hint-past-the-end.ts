// Corpus, exercise 6: a buggy solution: the short-log hint points one past where it should.

import { firstIndexOfTerm, type AppendDecision, type AppendEntries, type FollowerState, type LogEntry } from "@course/raft";
import type { Expectation } from "../../corpus.js";

export const expectation: Expectation = { correct: false, why: "on a log that is too short it hints conflictIndex = prevLogIndex + 1, past the end of its log: the leader never moves back and the follower is never repaired" };

export function handleAppendEntries(follower: FollowerState, req: AppendEntries): AppendDecision {
  const { log, commitIndex } = follower;
  if (req.term < follower.currentTerm) return { success: false, append: [], commitIndex, matchIndex: 0 };
  if (req.prevLogIndex > log.lastIndex) return { success: false, append: [], commitIndex, matchIndex: 0, conflictIndex: req.prevLogIndex + 1 };
  const prevTerm = log.termAt(req.prevLogIndex) as number;
  if (prevTerm !== req.prevLogTerm) {
    return { success: false, append: [], commitIndex, matchIndex: 0, conflictTerm: prevTerm, conflictIndex: firstIndexOfTerm(log, prevTerm, req.prevLogIndex) };
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
