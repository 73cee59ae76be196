// Corpus, exercise 9: a buggy solution: a log that reaches the snapshot's index ignores it.

import type { InstallSnapshot, LogView, SnapshotDecision } from "@course/raft";
import type { Expectation } from "../../corpus.js";

export const expectation: Expectation = { correct: false, why: "ignores a snapshot whenever the log already reaches lastIncludedIndex, without looking at the term: a divergent follower keeps its conflicting entries" };

export function handleInstallSnapshot(follower: { readonly commitIndex: number; readonly log: LogView }, req: InstallSnapshot): SnapshotDecision {
  const s = req.snapshot;
  if (s.lastIncludedIndex <= follower.commitIndex || s.lastIncludedIndex <= follower.log.lastIndex) return { action: "ignore" };
  return { action: "install", retainLog: false };
}
