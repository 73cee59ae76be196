// Corpus, exercise 6: a buggy solution: entries are addressed by array position.

import { firstIndexOfTerm, type AppendDecision, type AppendEntries, type FollowerState, type LogEntry } from "@course/raft";
import type { Expectation } from "../../corpus.js";

export const expectation: Expectation = { correct: false, why: "compares entries[k] with log.termAt(k + 1) instead of the entry's own index, so a message with prevLogIndex > 0 finds a false conflict, truncates entries that match and can erase newer ones a delayed message does not carry" };

export function handleAppendEntries(follower: FollowerState, req: AppendEntries): AppendDecision {
  const { log, commitIndex } = follower;
  if (req.term < follower.currentTerm) return { success: false, append: [], commitIndex, matchIndex: 0 };
  if (req.prevLogIndex > log.lastIndex) return { success: false, append: [], commitIndex, matchIndex: 0, conflictIndex: log.lastIndex + 1 };
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
    if (log.termAt(k + 1) !== e.term) {
      truncateFrom = e.index;
      append = req.entries.slice(k);
      break;
    }
  }
  const lastNew = req.prevLogIndex + req.entries.length;
  const newCommit = req.leaderCommit > commitIndex ? Math.min(req.leaderCommit, lastNew) : commitIndex;
  return { success: true, truncateFrom, append, commitIndex: newCommit, matchIndex: lastNew };
}
