// Corpus, exercise 6: a buggy solution: heartbeats do not move the commit index.

import { firstIndexOfTerm, type AppendDecision, type AppendEntries, type FollowerState, type LogEntry } from "@course/raft";
import type { Expectation } from "../../corpus.js";

export const expectation: Expectation = { correct: false, why: "only a message with entries advances the commit index: a follower hears of a commit only when the next command arrives" };

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
    if (log.termAt(e.index) !== e.term) {
      truncateFrom = e.index;
      append = req.entries.slice(k);
      break;
    }
  }
  const lastNew = req.prevLogIndex + req.entries.length;
  let newCommit = commitIndex;
  if (req.entries.length > 0 && req.leaderCommit > commitIndex) newCommit = Math.min(req.leaderCommit, lastNew);
  return { success: true, truncateFrom, append, commitIndex: newCommit, matchIndex: lastNew };
}
