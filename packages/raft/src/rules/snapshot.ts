// InstallSnapshot receiver (Raft paper Figure 13, §7): keep the log after the snapshot only if it agrees with it.

import type { LogView } from "../log.js";
import type { InstallSnapshot } from "../types.js";

export type SnapshotDecision =
  /** Nothing to do: the snapshot is older than what we have already committed. */
  | { readonly action: "ignore" }
  /** Install it; `retainLog` keeps the entries after the snapshot's last index. */
  | { readonly action: "install"; readonly retainLog: boolean };

/**
 * Figure 13, receiver: 6. if an existing log entry has the same index and term as the snapshot's last included
 * entry, retain the log entries following it; 7. otherwise discard the entire log. A snapshot that does not go
 * past our commit index carries nothing new (§7) and is ignored.
 */
export function handleInstallSnapshot(follower: { readonly commitIndex: number; readonly log: LogView }, req: InstallSnapshot): SnapshotDecision {
  const snap = req.snapshot;
  if (snap.lastIncludedIndex <= follower.commitIndex || snap.lastIncludedIndex <= follower.log.snapshotIndex) return { action: "ignore" };
  return { action: "install", retainLog: follower.log.termAt(snap.lastIncludedIndex) === snap.lastIncludedTerm };
}
