// Corpus, exercise 9: a buggy solution: the log is always kept.

import type { InstallSnapshot, LogView, SnapshotDecision } from "@course/raft";
import type { Expectation } from "../../corpus.js";

export const expectation: Expectation = { correct: false, why: "keeps the entries after the snapshot even when the entry at lastIncludedIndex has another term: entries of a deposed leader survive" };

export function handleInstallSnapshot(follower: { readonly commitIndex: number; readonly log: LogView }, req: InstallSnapshot): SnapshotDecision {
  const s = req.snapshot;
  if (s.lastIncludedIndex <= follower.commitIndex || s.lastIncludedIndex <= follower.log.snapshotIndex) return { action: "ignore" };
  return { action: "install", retainLog: true };
}
