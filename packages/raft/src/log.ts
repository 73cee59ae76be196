// The in-memory Raft log: entries after the last snapshot, addressed by Raft index (the first entry is index 1).

import { deepFreeze } from "@course/sim";
import type { LogEntry } from "./types.js";

/** Read-only view of a log that the pure rules work on. */
export interface LogView {
  /** Index and term of the last entry folded into the snapshot (0, 0 without one). */
  readonly snapshotIndex: number;
  readonly snapshotTerm: number;
  readonly lastIndex: number;
  readonly lastTerm: number;
  /** The term at `index`: the snapshot's term at snapshotIndex, 0 at index 0, undefined where unknown. */
  termAt(index: number): number | undefined;
  entryAt(index: number): LogEntry | undefined;
}

export class RaftLog implements LogView {
  snapshotIndex = 0;
  snapshotTerm = 0;
  /** entries[k] has index snapshotIndex + 1 + k. */
  private entries: LogEntry[] = [];
  /** Goes up at every change of the entries, so a reader can tell that nothing changed without comparing them. */
  private changes = 0;

  get version(): number {
    return this.changes;
  }

  get lastIndex(): number {
    return this.snapshotIndex + this.entries.length;
  }
  get lastTerm(): number {
    const last = this.entries[this.entries.length - 1];
    return last === undefined ? this.snapshotTerm : last.term;
  }
  get length(): number {
    return this.entries.length;
  }

  termAt(index: number): number | undefined {
    if (index === this.snapshotIndex) return this.snapshotTerm;
    if (index === 0) return 0;
    return this.entryAt(index)?.term;
  }

  entryAt(index: number): LogEntry | undefined {
    if (index <= this.snapshotIndex) return undefined;
    return this.entries[index - this.snapshotIndex - 1];
  }

  /** Entries from `from` to `to` inclusive (clipped to what the log holds). */
  slice(from: number, to: number = this.lastIndex): LogEntry[] {
    const start = Math.max(from, this.snapshotIndex + 1) - this.snapshotIndex - 1;
    const end = Math.min(to, this.lastIndex) - this.snapshotIndex;
    return end <= start ? [] : this.entries.slice(start, end);
  }

  all(): readonly LogEntry[] {
    return this.entries;
  }

  append(entries: readonly LogEntry[]): void {
    for (const e of entries) {
      if (e.index !== this.lastIndex + 1) throw new Error(`log append out of order: entry ${e.index} after ${this.lastIndex}`);
      // Entries never change once made: frozen, they are shared by every copy of the log (checkpoints) instead of copied.
      this.entries.push(deepFreeze(e));
      this.changes++;
    }
  }

  /** Delete the entry at `index` and everything after it. */
  truncateFrom(index: number): void {
    if (index <= this.snapshotIndex) throw new Error(`cannot truncate at ${index}: entries up to ${this.snapshotIndex} are in the snapshot`);
    this.entries.length = Math.max(0, index - this.snapshotIndex - 1);
    this.changes++;
  }

  /** Fold everything up to `index` into a snapshot whose last entry has `term` (§7); later entries stay. */
  compactTo(index: number, term: number): void {
    const keep = this.slice(index + 1);
    this.snapshotIndex = index;
    this.snapshotTerm = term;
    this.entries = keep;
    this.changes++;
  }

  /** Replace the whole log by a snapshot and the given entries after it. */
  reset(snapshotIndex: number, snapshotTerm: number, entries: readonly LogEntry[]): void {
    this.snapshotIndex = snapshotIndex;
    this.snapshotTerm = snapshotTerm;
    this.entries = [];
    this.changes++;
    this.append(entries);
  }
}

/** The first index that holds `term`, scanning down from `from` while the term stays the same (fast backup, §5.3). */
export function firstIndexOfTerm(log: LogView, term: number, from: number): number {
  let i = from;
  while (i - 1 > log.snapshotIndex && log.termAt(i - 1) === term) i--;
  return i;
}

/** The last index in the log holding `term`, or undefined when the log has no entry of that term. */
export function lastIndexOfTerm(log: LogView, term: number): number | undefined {
  for (let i = log.lastIndex; i > log.snapshotIndex; i--) {
    const t = log.termAt(i) as number;
    if (t === term) return i;
    if (t < term) return undefined;
  }
  return log.snapshotTerm === term && log.snapshotIndex > 0 ? log.snapshotIndex : undefined;
}
