// What must reach stable storage before a server answers (Raft paper Figure 2, "Persistent state on all servers").

import type { NodeId } from "@course/sim";

export interface HardState {
  readonly currentTerm: number;
  readonly votedFor?: NodeId | null;
}

export interface PersistenceDecision {
  /** currentTerm and votedFor as they must be written. */
  readonly hardState: HardState;
  /** Whether new log entries are written before the AppendEntries reply leaves. */
  readonly persistLog: boolean;
}

/**
 * Figure 2: currentTerm, votedFor and log[] are "updated on stable storage before responding to RPCs". Losing
 * votedFor lets a restarted server vote twice in one term; losing log entries lets a committed entry vanish.
 */
export function persistenceDecision(state: { readonly currentTerm: number; readonly votedFor: NodeId | null }): PersistenceDecision {
  return { hardState: { currentTerm: state.currentTerm, votedFor: state.votedFor }, persistLog: true };
}
