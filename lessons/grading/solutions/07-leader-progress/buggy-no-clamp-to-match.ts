// Corpus, exercise 7: a buggy solution: nextIndex may drop below what the follower holds.

import { lastIndexOfTerm, type AppendEntriesReply, type LogView, type PeerProgress } from "@course/raft";
import type { Expectation } from "../../corpus.js";

export const expectation: Expectation = { correct: false, why: "does not clamp at matchIndex + 1: a late rejection sends nextIndex below entries the follower acknowledged, and with nextIndex 1 and no hint it returns 0" };

export function handleAppendEntriesReply(progress: PeerProgress, leaderLog: LogView, reply: AppendEntriesReply): PeerProgress {
  if (reply.success) {
    const matchIndex = Math.max(progress.matchIndex, reply.matchIndex);
    return { matchIndex, nextIndex: Math.max(progress.nextIndex, matchIndex + 1) };
  }
  let next = progress.nextIndex - 1;
  if (reply.conflictTerm !== undefined) {
    const last = lastIndexOfTerm(leaderLog, reply.conflictTerm);
    next = last !== undefined ? last + 1 : (reply.conflictIndex ?? next);
  } else if (reply.conflictIndex !== undefined) {
    next = reply.conflictIndex;
  }
  return { matchIndex: progress.matchIndex, nextIndex: Math.min(next, progress.nextIndex) };
}
