// Corpus, exercise 9: a correct solution that looks the entry up with entryAt and tests the end of the log first.

import type { InstallSnapshot, LogView, SnapshotDecision } from "@course/raft";
import type { Expectation } from "../../corpus.js";

export const expectation: Expectation = { correct: true, why: "checks 'past the end of the log' explicitly and compares log.entryAt(lastIncludedIndex)?.term; the same decisions" };

export function handleInstallSnapshot(follower: { readonly commitIndex: number; readonly log: LogView }, req: InstallSnapshot): SnapshotDecision {
  const { lastIncludedIndex, lastIncludedTerm } = req.snapshot;
  if (lastIncludedIndex <= Math.max(follower.commitIndex, follower.log.snapshotIndex)) return { action: "ignore" };
  if (lastIncludedIndex > follower.log.lastIndex) return { action: "install", retainLog: false };
  return { action: "install", retainLog: follower.log.entryAt(lastIncludedIndex)?.term === lastIncludedTerm };
}
