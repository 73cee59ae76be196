// Corpus, exercise 7: a buggy solution: a rejection changes nothing.

import type { AppendEntriesReply, LogView, PeerProgress } from "@course/raft";
import type { Expectation } from "../../corpus.js";

export const expectation: Expectation = { correct: false, why: "leaves nextIndex where it was after a rejection, so a follower whose log diverged is never repaired" };

export function handleAppendEntriesReply(progress: PeerProgress, leaderLog: LogView, reply: AppendEntriesReply): PeerProgress {
  if (reply.success) {
    const matchIndex = Math.max(progress.matchIndex, reply.matchIndex);
    return { matchIndex, nextIndex: Math.max(progress.nextIndex, matchIndex + 1) };
  }
  return progress;
}
