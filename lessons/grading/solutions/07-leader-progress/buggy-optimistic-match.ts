// Corpus, exercise 7: a buggy solution: a rejection raises matchIndex.

import { lastIndexOfTerm, type AppendEntriesReply, type LogView, type PeerProgress } from "@course/raft";
import type { Expectation } from "../../corpus.js";

export const expectation: Expectation = { correct: false, why: "on a rejection it assumes the follower holds everything before the new nextIndex and raises matchIndex: the leader counts entries the follower does not have" };

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
  const nextIndex = Math.max(progress.matchIndex + 1, Math.min(next, progress.nextIndex));
  return { matchIndex: Math.max(progress.matchIndex, nextIndex - 1), nextIndex };
}
