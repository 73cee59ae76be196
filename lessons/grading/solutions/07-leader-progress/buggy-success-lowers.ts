// Corpus, exercise 7: a buggy solution: a late success reply lowers matchIndex and nextIndex.

import { lastIndexOfTerm, type AppendEntriesReply, type LogView, type PeerProgress } from "@course/raft";
import type { Expectation } from "../../corpus.js";

export const expectation: Expectation = { correct: false, why: "takes a success reply's matchIndex as is: a late, older reply moves matchIndex back and the leader resends what the follower has" };

export function handleAppendEntriesReply(progress: PeerProgress, leaderLog: LogView, reply: AppendEntriesReply): PeerProgress {
  if (reply.success) {
    return { matchIndex: reply.matchIndex, nextIndex: reply.matchIndex + 1 };
  }
  let next = progress.nextIndex - 1;
  if (reply.conflictTerm !== undefined) {
    const last = lastIndexOfTerm(leaderLog, reply.conflictTerm);
    next = last !== undefined ? last + 1 : (reply.conflictIndex ?? next);
  } else if (reply.conflictIndex !== undefined) {
    next = reply.conflictIndex;
  }
  return { matchIndex: progress.matchIndex, nextIndex: Math.max(progress.matchIndex + 1, Math.min(next, progress.nextIndex)) };
}
