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
 *   keep the entries after it: `{ action: "install", retainLog: true }`. This server may already have
 *   acknowledged them, and the leader may have counted them toward a commit, so discarding them could lose a
 *   committed entry (if one of them conflicts with the leader, AppendEntries' consistency check repairs it later).
 *   Step 7: otherwise the whole log is discarded: `{ action: "install", retainLog: false }`. Entries after a
 *   mismatching entry came from another leader's history and must not survive the snapshot.
 */
export function handleInstallSnapshot(follower: { readonly commitIndex: number; readonly log: LogView }, req: InstallSnapshot): SnapshotDecision {
  throw new Error("TODO: handleInstallSnapshot (Raft Figure 13, §7)");
}
