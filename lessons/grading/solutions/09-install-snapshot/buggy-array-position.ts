// Corpus, exercise 9: a buggy solution: entries are looked up by position after the old snapshot.

import type { InstallSnapshot, LogView, SnapshotDecision } from "@course/raft";
import type { Expectation } from "../../corpus.js";

export const expectation: Expectation = { correct: false, why: "reads the term at lastIncludedIndex - snapshotIndex (a position), so once the log has been compacted it compares the wrong entry" };

export function handleInstallSnapshot(follower: { readonly commitIndex: number; readonly log: LogView }, req: InstallSnapshot): SnapshotDecision {
  const s = req.snapshot;
  if (s.lastIncludedIndex <= follower.commitIndex || s.lastIncludedIndex <= follower.log.snapshotIndex) return { action: "ignore" };
  return { action: "install", retainLog: follower.log.termAt(s.lastIncludedIndex - follower.log.snapshotIndex) === s.lastIncludedTerm };
}
