// Corpus, exercise 7: a correct solution written as one if/else chain with the clamps at the end.

import { lastIndexOfTerm, type AppendEntriesReply, type LogView, type PeerProgress } from "@course/raft";
import type { Expectation } from "../../corpus.js";

export const expectation: Expectation = { correct: true, why: "the same decisions as an if/else chain; clamps with min then max in the other order, which is the same whenever nextIndex > matchIndex" };

export function handleAppendEntriesReply(progress: PeerProgress, leaderLog: LogView, reply: AppendEntriesReply): PeerProgress {
  const { nextIndex, matchIndex } = progress;
  if (reply.success) {
    const match = reply.matchIndex > matchIndex ? reply.matchIndex : matchIndex;
    return { matchIndex: match, nextIndex: match + 1 > nextIndex ? match + 1 : nextIndex };
  }
  let target: number;
  if (reply.conflictTerm !== undefined && lastIndexOfTerm(leaderLog, reply.conflictTerm) !== undefined) target = (lastIndexOfTerm(leaderLog, reply.conflictTerm) as number) + 1;
  else if (reply.conflictIndex !== undefined) target = reply.conflictIndex;
  else target = nextIndex - 1;
  return { matchIndex, nextIndex: Math.min(nextIndex, Math.max(matchIndex + 1, target)) };
}
