// Corpus, exercise 6: a buggy solution: the empty prefix at index 0 never matches.

import { firstIndexOfTerm, type AppendDecision, type AppendEntries, type FollowerState, type LogEntry } from "@course/raft";
import type { Expectation } from "../../corpus.js";

export const expectation: Expectation = { correct: false, why: "reads the term at prevLogIndex with entryAt, which has no entry 0: a message with prevLogIndex 0 is always refused, so an empty follower never gets its first entry" };

export function handleAppendEntries(follower: FollowerState, req: AppendEntries): AppendDecision {
  const { log, commitIndex } = follower;
  if (req.term < follower.currentTerm) return { success: false, append: [], commitIndex, matchIndex: 0 };
  if (req.prevLogIndex > log.lastIndex) return { success: false, append: [], commitIndex, matchIndex: 0, conflictIndex: log.lastIndex + 1 };
  // entryAt has no entry 0, so the empty prefix never matches.
  const prevTerm = log.entryAt(req.prevLogIndex)?.term ?? -1;
  if (prevTerm !== req.prevLogTerm) {
    return { success: false, append: [], commitIndex, matchIndex: 0, conflictTerm: prevTerm, conflictIndex: Math.max(1, firstIndexOfTerm(log, prevTerm, req.prevLogIndex)) };
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
