// Log replication rules (Raft paper Figure 2, §5.3, §5.4.2): follower's AppendEntries, leader's reply handling, commit.

import type { NodeId } from "@course/sim";
import { firstIndexOfTerm, lastIndexOfTerm, type LogView } from "../log.js";
import { quorumIndex } from "../quorum.js";
import type { AppendEntries, AppendEntriesReply, LogEntry } from "../types.js";

export interface FollowerState {
  readonly currentTerm: number;
  readonly commitIndex: number;
  readonly log: LogView;
}

/** What the follower does with an AppendEntries: a description of the log change, applied by the node. */
export interface AppendDecision {
  readonly success: boolean;
  /** Delete this entry and all that follow it before appending (step 3 of the receiver rules). */
  readonly truncateFrom?: number;
  /** Entries to add at the end of the (truncated) log. */
  readonly append: readonly LogEntry[];
  readonly commitIndex: number;
  /** Last index known to match the leader (prevLogIndex + entries). */
  readonly matchIndex: number;
  readonly conflictIndex?: number;
  readonly conflictTerm?: number;
}

/**
 * Figure 2, AppendEntries receiver:
 * 1. reply false if term < currentTerm;
 * 2. reply false if the log has no entry at prevLogIndex whose term is prevLogTerm (the consistency check, §5.3),
 *    telling the leader the conflicting term and the first index of that term so it can skip back a whole term;
 * 3. if an existing entry conflicts with a new one (same index, different term), delete it and all after it;
 * 4. append any new entries not already in the log;
 * 5. if leaderCommit > commitIndex, set commitIndex = min(leaderCommit, index of last new entry).
 */
export function handleAppendEntries(follower: FollowerState, req: AppendEntries): AppendDecision {
  const { log, commitIndex } = follower;
  if (req.term < follower.currentTerm) return refuse(commitIndex);
  let prevIndex = req.prevLogIndex;
  let entries = req.entries;
  // Entries covered by our snapshot are committed, so they match the leader's (Leader Completeness): skip them.
  if (prevIndex < log.snapshotIndex) {
    entries = entries.filter((e) => e.index > log.snapshotIndex);
    prevIndex = log.snapshotIndex;
  } else {
    if (prevIndex > log.lastIndex) return refuse(commitIndex, log.lastIndex + 1);
    const term = log.termAt(prevIndex);
    if (term !== req.prevLogTerm) {
      const conflictTerm = term as number;
      return refuse(commitIndex, firstIndexOfTerm(log, conflictTerm, prevIndex), conflictTerm);
    }
  }
  let truncateFrom: number | undefined;
  let append: LogEntry[] = [];
  for (let k = 0; k < entries.length; k++) {
    const e = entries[k] as LogEntry;
    if (e.index > log.lastIndex) {
      append = entries.slice(k);
      break;
    }
    if (log.termAt(e.index) !== e.term) {
      truncateFrom = e.index;
      append = entries.slice(k);
      break;
    }
  }
  const matchIndex = prevIndex + entries.length;
  const newCommit = req.leaderCommit > commitIndex ? Math.min(req.leaderCommit, matchIndex) : commitIndex;
  return {
    success: true,
    ...(truncateFrom === undefined ? {} : { truncateFrom }),
    append,
    commitIndex: Math.max(commitIndex, newCommit),
    matchIndex,
  };
}

function refuse(commitIndex: number, conflictIndex?: number, conflictTerm?: number): AppendDecision {
  const d: AppendDecision = { success: false, append: [], commitIndex, matchIndex: 0 };
  if (conflictIndex === undefined) return d;
  return conflictTerm === undefined ? { ...d, conflictIndex } : { ...d, conflictIndex, conflictTerm };
}

export interface PeerProgress {
  readonly nextIndex: number;
  readonly matchIndex: number;
}

/**
 * Figure 2, rules for leaders: on success update nextIndex and matchIndex; on a consistency-check failure
 * decrement nextIndex and retry. The paper's §5.3 only outlines a faster backup; this is the form MIT 6.5840 calls
 * accelerated log backtracking, which skips a whole conflicting term per round trip: if the leader has entries of
 * the follower's conflicting term, resume after its last one; otherwise resume at the first index the follower
 * holds for that term (or just past the end of a short follower log).
 */
export function handleAppendEntriesReply(progress: PeerProgress, leaderLog: LogView, reply: AppendEntriesReply): PeerProgress {
  if (reply.success) {
    const matchIndex = Math.max(progress.matchIndex, reply.matchIndex);
    return { matchIndex, nextIndex: Math.max(progress.nextIndex, matchIndex + 1) };
  }
  let next = progress.nextIndex - 1;
  if (reply.conflictTerm !== undefined) {
    const last = lastIndexOfTerm(leaderLog, reply.conflictTerm);
    next = last !== undefined ? last + 1 : (reply.conflictIndex ?? next);
  } else if (reply.conflictIndex !== undefined) {
    next = reply.conflictIndex;
  }
  // A stale rejection must not move nextIndex back past what the follower is known to hold.
  return { matchIndex: progress.matchIndex, nextIndex: Math.max(progress.matchIndex + 1, Math.min(next, progress.nextIndex)) };
}

export interface LeaderCommitState {
  readonly currentTerm: number;
  readonly commitIndex: number;
  readonly log: LogView;
  /** Members of the current configuration; the leader counts itself only if it is one of them. */
  readonly members: readonly NodeId[];
  readonly matchIndex: (node: NodeId) => number;
}

/**
 * Figure 2, rules for leaders, with §5.4.2: commitIndex = N if a majority has matchIndex >= N and
 * log[N].term == currentTerm. Entries from earlier terms are never committed by counting replicas (Figure 8);
 * they become committed when a current-term entry after them is.
 */
export function advanceCommitIndex(leader: LeaderCommitState): number {
  const n = quorumIndex(leader.members, leader.matchIndex);
  if (n > leader.commitIndex && leader.log.termAt(n) === leader.currentTerm) return n;
  return leader.commitIndex;
}
