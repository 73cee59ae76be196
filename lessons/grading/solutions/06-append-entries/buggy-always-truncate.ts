// Corpus, exercise 6: a buggy solution: every message deletes what follows prevLogIndex.

import { firstIndexOfTerm, type AppendDecision, type AppendEntries, type FollowerState, type LogEntry } from "@course/raft";
import type { Expectation } from "../../corpus.js";

export const expectation: Expectation = { correct: false, why: "truncates everything after prevLogIndex on every message, so a delayed, older message erases entries a newer one added and the follower already acknowledged" };

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
  if (req.prevLogIndex < log.lastIndex) truncateFrom = req.prevLogIndex + 1;
  append = [...req.entries];
  const lastNew = req.prevLogIndex + req.entries.length;
  const newCommit = req.leaderCommit > commitIndex ? Math.min(req.leaderCommit, lastNew) : commitIndex;
  return { success: true, truncateFrom, append, commitIndex: newCommit, matchIndex: lastNew };
}
