// Election rules (Raft paper §5.2, §5.4.1; thesis §9.6 for PreVote): each a pure function a student may replace.

import type { NodeId, Rng } from "@course/sim";
import type { PreVote, RequestVote } from "../types.js";

/** What a voter knows when it decides; its term has already been raised to the request's if that was higher. */
export interface VoterState {
  readonly currentTerm: number;
  readonly votedFor: NodeId | null;
  readonly lastLogIndex: number;
  readonly lastLogTerm: number;
}

export interface VoteDecision {
  readonly voteGranted: boolean;
  /** votedFor after the decision (must be persisted before the reply leaves). */
  readonly votedFor: NodeId | null;
}

/**
 * §5.4.1 election restriction: the candidate's log is at least as up-to-date as the voter's if its last term is
 * higher, or the last terms are equal and its log is at least as long.
 */
export function isLogUpToDate(candidateLastTerm: number, candidateLastIndex: number, voterLastTerm: number, voterLastIndex: number): boolean {
  if (candidateLastTerm !== voterLastTerm) return candidateLastTerm > voterLastTerm;
  return candidateLastIndex >= voterLastIndex;
}

/**
 * Figure 2, RequestVote receiver: 1. reply false if term < currentTerm; 2. grant if votedFor is null or the
 * candidate, and the candidate's log is at least as up-to-date as the receiver's (§5.2, §5.4).
 */
export function handleRequestVote(voter: VoterState, req: RequestVote): VoteDecision {
  if (req.term < voter.currentTerm) return { voteGranted: false, votedFor: voter.votedFor };
  const free = voter.votedFor === null || voter.votedFor === req.candidateId;
  if (free && isLogUpToDate(req.lastLogTerm, req.lastLogIndex, voter.lastLogTerm, voter.lastLogIndex)) {
    return { voteGranted: true, votedFor: req.candidateId };
  }
  return { voteGranted: false, votedFor: voter.votedFor };
}

/**
 * PreVote (thesis §9.6): grant only if the candidate could win a real election (its log is up-to-date and the
 * proposed term is above ours) and we have not heard from a live leader within the minimum election timeout.
 * Granting changes nothing: no term bump, no votedFor, so a partitioned node cannot disrupt the cluster.
 */
export function handlePreVote(voter: VoterState & { readonly leaderRecentlyHeard: boolean }, req: PreVote): boolean {
  if (req.term <= voter.currentTerm) return false;
  if (voter.leaderRecentlyHeard) return false;
  return isLogUpToDate(req.lastLogTerm, req.lastLogIndex, voter.lastLogTerm, voter.lastLogIndex);
}

/** §5.2: election timeouts are chosen at random from a fixed interval so that split votes are rare and resolve. */
export function randomElectionTimeout(rng: Rng, range: { readonly min: number; readonly max: number }): number {
  return rng.uniform(range.min, range.max);
}
