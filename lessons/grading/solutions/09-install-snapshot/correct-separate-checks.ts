// Corpus, exercise 9: a correct solution with one check per line.

import type { InstallSnapshot, LogView, SnapshotDecision } from "@course/raft";
import type { Expectation } from "../../corpus.js";

export const expectation: Expectation = { correct: true, why: "the same rule with each condition on its own line" };

export function handleInstallSnapshot(follower: { readonly commitIndex: number; readonly log: LogView }, req: InstallSnapshot): SnapshotDecision {
  const snap = req.snapshot;
  const stale = snap.lastIncludedIndex <= follower.commitIndex || snap.lastIncludedIndex <= follower.log.snapshotIndex;
  if (stale) return { action: "ignore" };
  const term = follower.log.termAt(snap.lastIncludedIndex);
  if (term !== undefined && term === snap.lastIncludedTerm) return { action: "install", retainLog: true };
  return { action: "install", retainLog: false };
}
