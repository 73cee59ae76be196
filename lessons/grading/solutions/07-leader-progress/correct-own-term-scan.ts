// Corpus, exercise 7: a correct solution that scans the leader's log for the conflicting term itself.

import type { AppendEntriesReply, LogView, PeerProgress } from "@course/raft";
import type { Expectation } from "../../corpus.js";

export const expectation: Expectation = { correct: true, why: "finds the leader's last entry of the conflicting term with its own downward scan over termAt" };

export function handleAppendEntriesReply(progress: PeerProgress, leaderLog: LogView, reply: AppendEntriesReply): PeerProgress {
  if (reply.success) {
    const matchIndex = Math.max(progress.matchIndex, reply.matchIndex);
    return { matchIndex, nextIndex: Math.max(progress.nextIndex, matchIndex + 1) };
  }
  let next: number;
  if (reply.conflictTerm === undefined) next = reply.conflictIndex ?? progress.nextIndex - 1;
  else {
    let i = leaderLog.lastIndex;
    while (i > leaderLog.snapshotIndex && leaderLog.termAt(i) !== reply.conflictTerm) i--;
    next = i > leaderLog.snapshotIndex ? i + 1 : (reply.conflictIndex ?? progress.nextIndex - 1);
  }
  next = Math.min(next, progress.nextIndex);
  next = Math.max(next, progress.matchIndex + 1);
  return { nextIndex: next, matchIndex: progress.matchIndex };
}
