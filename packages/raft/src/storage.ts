// The durable layout of a Raft server: hard state, snapshot and one key per log entry, written and read back.

import type { NodeContext, NodeId, StorageReader } from "@course/sim";
import type { HardState } from "./rules/persistence.js";
import type { LogEntry, SnapshotData } from "./types.js";

const HARD = "hardState";
const SNAPSHOT = "snapshot";
const LAST = "logLast";
const entryKey = (index: number) => `entry:${index}`;

export interface DurableState {
  readonly currentTerm: number;
  readonly votedFor: NodeId | null;
  readonly snapshot: SnapshotData | undefined;
  readonly entries: readonly LogEntry[];
}

/** Everything a restarting server gets back (§5.1: it rebuilds from stable storage only). */
export function readDurableState(storage: StorageReader): DurableState {
  const hard = storage.get<HardState>(HARD);
  const snapshot = storage.get<SnapshotData>(SNAPSHOT);
  const last = storage.get<number>(LAST) ?? 0;
  const entries: LogEntry[] = [];
  for (let i = (snapshot?.lastIncludedIndex ?? 0) + 1; i <= last; i++) {
    const e = storage.get<LogEntry>(entryKey(i));
    if (e === undefined) break;
    entries.push(e);
  }
  return { currentTerm: hard?.currentTerm ?? 0, votedFor: hard?.votedFor ?? null, snapshot, entries };
}

/** The last index folded into the snapshot on this disk (0 without one). */
export function snapshotIndexOf(storage: StorageReader): number {
  return storage.get<SnapshotData>(SNAPSHOT)?.lastIncludedIndex ?? 0;
}

/** A reader answering "is entry (index, term) on this server's disk, in its log or folded into its snapshot?". */
export function durableLogReader(storage: StorageReader): (index: number, term: number) => boolean {
  const snapshotIndex = storage.get<SnapshotData>(SNAPSHOT)?.lastIncludedIndex ?? 0;
  const last = storage.get<number>(LAST) ?? 0;
  return (index, term) => {
    if (index <= snapshotIndex) return true;
    if (index > last) return false;
    return storage.get<LogEntry>(entryKey(index))?.term === term;
  };
}

export function writeHardState(ctx: NodeContext, hard: HardState): void {
  ctx.persist(HARD, hard);
}

/** Write entries after truncating everything from `from` (inclusive) that the disk still holds. */
export function writeEntries(ctx: NodeContext, oldLast: number, truncateFrom: number | undefined, entries: readonly LogEntry[]): void {
  if (truncateFrom !== undefined) for (let i = truncateFrom; i <= oldLast; i++) ctx.unpersist(entryKey(i));
  for (const e of entries) ctx.persist(entryKey(e.index), e);
  const last = entries.length > 0 ? (entries[entries.length - 1] as LogEntry).index : truncateFrom !== undefined ? Math.min(oldLast, truncateFrom - 1) : oldLast;
  if (last !== oldLast || entries.length > 0) ctx.persist(LAST, last);
}

/** Store a snapshot and drop the entry keys it replaces (`from`..`to`). */
export function writeSnapshot(ctx: NodeContext, snapshot: SnapshotData, dropFrom: number, dropTo: number, newLast: number): void {
  ctx.persist(SNAPSHOT, snapshot);
  for (let i = dropFrom; i <= dropTo; i++) ctx.unpersist(entryKey(i));
  ctx.persist(LAST, newLast);
}
