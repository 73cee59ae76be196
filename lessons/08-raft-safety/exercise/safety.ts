// Exercise 8: the leader's commit rule and what a server must keep on disk. Then run `npm run grade 8`.

import type { NodeId } from "@course/sim";
import { quorumIndex, type LeaderCommitState, type PersistenceDecision } from "@course/raft";

// quorumIndex(members, matchIndex) is the largest index N that a majority of `members` have replicated
// (matchIndex(node) >= N). leader.matchIndex(leaderId) is the leader's own last index.

/**
 * Figure 2 of the Raft paper, rules for leaders, with §5.4.2: if there is an N > commitIndex such that a
 * majority of the members have matchIndex >= N and log[N].term == currentTerm, set commitIndex to the largest
 * such N; if there is none, it stays. A majority is more than half of `members` (clusters have 3, 4, 5 or 7
 * servers, numbered from 0). An entry from an earlier term is never committed by counting its replicas (Figure 8
 * shows why): it becomes committed when an entry of the current term after it is. Return the new commit index.
 */
export function advanceCommitIndex(leader: LeaderCommitState): number {
  throw new Error("TODO: advanceCommitIndex (Raft Figure 2, §5.4.2)");
}

/**
 * Figure 2, "Persistent state on all servers (updated on stable storage before responding to RPCs)":
 * currentTerm, votedFor and log[]. Return what must be written: `hardState` (the term, and the vote in it; "no
 * vote" may be written as votedFor: null or left out, storage reads a missing vote back as null) and `persistLog`
 * (whether new log entries are written before the AppendEntries reply leaves).
 * Losing votedFor in a crash lets a server vote twice in one term; acknowledging entries that are not on
 * disk lets a committed entry vanish.
 */
export function persistenceDecision(state: { readonly currentTerm: number; readonly votedFor: NodeId | null }): PersistenceDecision {
  throw new Error("TODO: persistenceDecision (Raft Figure 2, persistent state)");
}
