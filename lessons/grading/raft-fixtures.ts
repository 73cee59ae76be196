// Small immutable Raft logs for unit cases: a LogView built from a list of terms, with an optional snapshot offset.

import type { Command, LogEntry, LogView } from "@course/raft";

const NOOP: Command = { kind: "noop" };

/** Entries snapshotIndex+1, snapshotIndex+2, ... with the given terms. */
export function entries(terms: readonly number[], firstIndex = 1): LogEntry[] {
  return terms.map((term, k) => Object.freeze({ index: firstIndex + k, term, command: NOOP }));
}

/**
 * A read-only log: `logOf([1, 1, 2])` holds index 1 (term 1), 2 (term 1), 3 (term 2). With a snapshot, the
 * terms start after `snapshot.index`. It cannot be modified, so a rule that tries to fails loudly.
 */
export function logOf(terms: readonly number[], snapshot: { index: number; term: number } = { index: 0, term: 0 }): LogView & { toJSON(): unknown } {
  const list = Object.freeze(entries(terms, snapshot.index + 1));
  const lastIndex = snapshot.index + list.length;
  const view = {
    snapshotIndex: snapshot.index,
    snapshotTerm: snapshot.term,
    lastIndex,
    lastTerm: list.length === 0 ? snapshot.term : (list[list.length - 1] as LogEntry).term,
    termAt(index: number): number | undefined {
      if (index === snapshot.index) return snapshot.term;
      if (index === 0) return 0;
      return list[index - snapshot.index - 1]?.term;
    },
    entryAt(index: number): LogEntry | undefined {
      return index <= snapshot.index ? undefined : list[index - snapshot.index - 1];
    },
    /** How failure messages print the log. */
    toJSON(): unknown {
      return snapshot.index === 0 ? { terms } : { snapshot, termsAfterSnapshot: terms };
    },
  };
  return Object.freeze(view);
}
