// Corpus, exercise 9: a buggy solution: the snapshot is compared with the last entry of the log.

import type { InstallSnapshot, LogView, SnapshotDecision } from "@course/raft";
import type { Expectation } from "../../corpus.js";

export const expectation: Expectation = { correct: false, why: "keeps the log when its last term equals the snapshot's last term, wherever that entry is: a longer log of that term, or a conflicting entry at lastIncludedIndex, is judged wrongly" };

export function handleInstallSnapshot(follower: { readonly commitIndex: number; readonly log: LogView }, req: InstallSnapshot): SnapshotDecision {
  const s = req.snapshot;
  if (s.lastIncludedIndex <= follower.commitIndex || s.lastIncludedIndex <= follower.log.snapshotIndex) return { action: "ignore" };
  return { action: "install", retainLog: follower.log.lastIndex >= s.lastIncludedIndex && follower.log.lastTerm === s.lastIncludedTerm };
}
