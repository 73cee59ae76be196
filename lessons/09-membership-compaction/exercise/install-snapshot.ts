// Exercise 9: what a Raft follower does with a leader's snapshot (log compaction). Then run `npm run grade 9`.

import type { InstallSnapshot, LogView, SnapshotDecision } from "@course/raft";

// The log may already start with a snapshot: log.snapshotIndex / log.snapshotTerm say which entries it folds in,
// and entries are addressed by their Raft index, not by position: log.termAt(i) is the term at index i
// (log.snapshotTerm at i = snapshotIndex, undefined for an index that is compacted away or past the end).

/**
 * Figure 13 of the Raft paper, InstallSnapshot RPC, receiver implementation (§7). `req.snapshot` carries
 * lastIncludedIndex and lastIncludedTerm: the last entry the snapshot replaces.
 * - Ignore it exactly when it does not reach past what this server already has committed (lastIncludedIndex <=
 *   commitIndex) or past its own snapshot: it carries nothing new, `{ action: "ignore" }`.
 * - Otherwise install it. Step 6: if the log has an entry at lastIncludedIndex whose term is lastIncludedTerm,
 *   the entries after it agree with the leader's log (Log Matching) and must be kept: this server may already
 *   have acknowledged them, and the leader counted them toward commit. `{ action: "install", retainLog: true }`.
 *   Step 7: otherwise (no entry there, or one of another term) the whole log is discarded: entries after a
 *   conflicting one came from a deposed leader. `{ action: "install", retainLog: false }`.
 */
export function handleInstallSnapshot(follower: { readonly commitIndex: number; readonly log: LogView }, req: InstallSnapshot): SnapshotDecision {
  throw new Error("TODO: handleInstallSnapshot (Raft Figure 13, §7)");
}
