// Corpus, exercise 6: a correct solution that finds the conflicting term's first index by scanning up from the start.

import { firstIndexOfTerm, type AppendDecision, type AppendEntries, type FollowerState, type LogEntry } from "@course/raft";
import type { Expectation } from "../../corpus.js";

export const expectation: Expectation = { correct: true, why: "computes the same hints by scanning the log from index 1 upward, and writes steps 3-5 as one loop plus Math.max" };

export function handleAppendEntries(follower: FollowerState, req: AppendEntries): AppendDecision {
  const { log, commitIndex } = follower;
  const no = (hints: { conflictIndex?: number; conflictTerm?: number }): AppendDecision => ({ success: false, append: [], commitIndex, matchIndex: 0, ...hints });
  if (req.term < follower.currentTerm) return no({});
  if (req.prevLogIndex > log.lastIndex) return no({ conflictIndex: log.lastIndex + 1 });
  const here = log.termAt(req.prevLogIndex) as number;
  if (here !== req.prevLogTerm) {
    let first = 1;
    while (log.termAt(first) !== here) first++;
    return no({ conflictTerm: here, conflictIndex: first });
  }
  let truncateFrom: number | undefined;
  const append: LogEntry[] = [];
  for (const e of req.entries) {
    if (truncateFrom === undefined && append.length === 0 && e.index <= log.lastIndex) {
      if (log.termAt(e.index) === e.term) continue;
      truncateFrom = e.index;
    }
    append.push(e);
  }
  const lastNew = req.prevLogIndex + req.entries.length;
  return { success: true, truncateFrom, append, commitIndex: Math.max(commitIndex, Math.min(req.leaderCommit, lastNew)), matchIndex: lastNew };
}
