// Corpus, exercise 9: a correct solution that discards the log when nothing follows the matching entry.

import type { InstallSnapshot, LogView, SnapshotDecision } from "@course/raft";
import type { Expectation } from "../../corpus.js";

export const expectation: Expectation = { correct: true, why: "when the matching entry is the last one there is nothing after it to keep, so it answers retainLog: false there; the log the server ends with is the same" };

export function handleInstallSnapshot(follower: { readonly commitIndex: number; readonly log: LogView }, req: InstallSnapshot): SnapshotDecision {
  const s = req.snapshot;
  if (s.lastIncludedIndex <= follower.commitIndex) return { action: "ignore" };
  if (s.lastIncludedIndex <= follower.log.snapshotIndex) return { action: "ignore" };
  const matches = follower.log.termAt(s.lastIncludedIndex) === s.lastIncludedTerm;
  const somethingAfter = follower.log.lastIndex > s.lastIncludedIndex;
  return { action: "install", retainLog: matches && somethingAfter };
}
