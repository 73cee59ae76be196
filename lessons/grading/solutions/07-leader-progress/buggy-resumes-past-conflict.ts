// Corpus, exercise 7: a buggy solution: resumes one past the follower's conflictIndex.

import { lastIndexOfTerm, type AppendEntriesReply, type LogView, type PeerProgress } from "@course/raft";
import type { Expectation } from "../../corpus.js";

export const expectation: Expectation = { correct: false, why: "resumes at conflictIndex + 1: the follower's log ends before that, so the check fails again and again" };

export function handleAppendEntriesReply(progress: PeerProgress, leaderLog: LogView, reply: AppendEntriesReply): PeerProgress {
  if (reply.success) {
    const matchIndex = Math.max(progress.matchIndex, reply.matchIndex);
    return { matchIndex, nextIndex: Math.max(progress.nextIndex, matchIndex + 1) };
  }
  let next = progress.nextIndex - 1;
  if (reply.conflictTerm !== undefined) {
    const last = lastIndexOfTerm(leaderLog, reply.conflictTerm);
    next = last !== undefined ? last + 1 : (reply.conflictIndex === undefined ? next : reply.conflictIndex + 1);
  } else if (reply.conflictIndex !== undefined) {
    next = reply.conflictIndex + 1;
  }
  return { matchIndex: progress.matchIndex, nextIndex: Math.max(progress.matchIndex + 1, Math.min(next, progress.nextIndex)) };
}
