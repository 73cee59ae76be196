// Corpus, exercise 7: a buggy solution: a late rejection can move nextIndex forward.

import { lastIndexOfTerm, type AppendEntriesReply, type LogView, type PeerProgress } from "@course/raft";
import type { Expectation } from "../../corpus.js";

export const expectation: Expectation = { correct: false, why: "takes the hint without the min with the current nextIndex: a late rejection with a high conflictIndex moves nextIndex forward past entries the follower lacks" };

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
  return { matchIndex: progress.matchIndex, nextIndex: Math.max(progress.matchIndex + 1, next) };
}
