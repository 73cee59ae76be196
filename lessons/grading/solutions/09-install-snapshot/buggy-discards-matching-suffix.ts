// Corpus, exercise 9: a buggy solution: the log is always discarded.

import type { InstallSnapshot, LogView, SnapshotDecision } from "@course/raft";
import type { Expectation } from "../../corpus.js";

export const expectation: Expectation = { correct: false, why: "discards the whole log on every install, losing entries after the snapshot that agree with the leader and that it may already have counted" };

export function handleInstallSnapshot(follower: { readonly commitIndex: number; readonly log: LogView }, req: InstallSnapshot): SnapshotDecision {
  const s = req.snapshot;
  if (s.lastIncludedIndex <= follower.commitIndex || s.lastIncludedIndex <= follower.log.snapshotIndex) return { action: "ignore" };
  return { action: "install", retainLog: false };
}
