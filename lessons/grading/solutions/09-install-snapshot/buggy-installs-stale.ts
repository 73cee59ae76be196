// Corpus, exercise 9: a buggy solution: every snapshot is installed.

import type { InstallSnapshot, LogView, SnapshotDecision } from "@course/raft";
import type { Expectation } from "../../corpus.js";

export const expectation: Expectation = { correct: false, why: "installs a snapshot older than the commit index, rolling the state machine back past applied entries" };

export function handleInstallSnapshot(follower: { readonly commitIndex: number; readonly log: LogView }, req: InstallSnapshot): SnapshotDecision {
  return { action: "install", retainLog: follower.log.termAt(req.snapshot.lastIncludedIndex) === req.snapshot.lastIncludedTerm };
}
