// Deliberately broken rules, each planting one classic Raft bug, so checkers and graded suites can prove they catch it.

import type { NodeId } from "@course/sim";
import { quorumIndex } from "./quorum.js";
import type { RaftRules } from "./rules/index.js";
import { handleAppendEntries } from "./rules/replication.js";
import type { PersistenceDecision } from "./rules/persistence.js";
import { isLogUpToDate, type VoteDecision, type VoterState } from "./rules/election.js";
import type { LeaderCommitState } from "./rules/replication.js";
import type { RequestVote } from "./types.js";

/** Skips the §5.4.1 election restriction: a candidate with a stale log can win and erase committed entries. */
export function voteWithoutUpToDateCheck(voter: VoterState, req: RequestVote): VoteDecision {
  if (req.term < voter.currentTerm) return { voteGranted: false, votedFor: voter.votedFor };
  const free = voter.votedFor === null || voter.votedFor === req.candidateId;
  return free ? { voteGranted: true, votedFor: req.candidateId } : { voteGranted: false, votedFor: voter.votedFor };
}

/** Ignores votedFor: grants every up-to-date candidate of the current term, so two leaders can win one term. */
export function voteForEveryone(voter: VoterState, req: RequestVote): VoteDecision {
  if (req.term < voter.currentTerm) return { voteGranted: false, votedFor: voter.votedFor };
  const upToDate = isLogUpToDate(req.lastLogTerm, req.lastLogIndex, voter.lastLogTerm, voter.lastLogIndex);
  return upToDate ? { voteGranted: true, votedFor: req.candidateId } : { voteGranted: false, votedFor: voter.votedFor };
}

/** The naive commit rule of Figure 8: counts replicas of any term's entry, so an old-term entry can be committed and then overwritten. */
export function commitByCountingAnyTerm(leader: LeaderCommitState): number {
  return Math.max(leader.commitIndex, quorumIndex(leader.members, leader.matchIndex));
}

/** Writes currentTerm but not votedFor: after a crash a server may vote a second time in the same term. */
export function forgetVotedFor(state: { readonly currentTerm: number; readonly votedFor: NodeId | null }): PersistenceDecision {
  return { hardState: { currentTerm: state.currentTerm }, persistLog: true };
}

/** Acknowledges entries without writing them: a crash forgets entries the leader already counted toward commit. */
export function skipLogPersistence(state: { readonly currentTerm: number; readonly votedFor: NodeId | null }): PersistenceDecision {
  return { hardState: { currentTerm: state.currentTerm, votedFor: state.votedFor }, persistLog: false };
}

/** Checks only that an entry exists at prevLogIndex, not its term: logs diverge below entries that look matching. */
export const appendCheckingOnlyLength: RaftRules["handleAppendEntries"] = (follower, req) => {
  const term = follower.log.termAt(req.prevLogIndex);
  return handleAppendEntries(follower, term === undefined ? req : { ...req, prevLogTerm: term });
};

/** Takes the leader's commit index as is: a delayed, older AppendEntries moves the commit index backwards. */
export const commitIndexFromLeaderVerbatim: RaftRules["handleAppendEntries"] = (follower, req) => {
  const decision = handleAppendEntries(follower, req);
  return decision.success ? { ...decision, commitIndex: Math.min(req.leaderCommit, decision.matchIndex) } : decision;
};

/** The planted bugs by name, as rule overrides for the node factory. */
export const buggyRules = {
  "vote-without-up-to-date-check": { handleRequestVote: voteWithoutUpToDateCheck },
  "vote-for-everyone": { handleRequestVote: voteForEveryone },
  "commit-old-term-by-counting": { advanceCommitIndex: commitByCountingAnyTerm },
  "forget-voted-for": { persistenceDecision: forgetVotedFor },
  "skip-log-persistence": { persistenceDecision: skipLogPersistence },
  "append-checking-only-length": { handleAppendEntries: appendCheckingOnlyLength },
  "commit-index-from-leader-verbatim": { handleAppendEntries: commitIndexFromLeaderVerbatim },
} satisfies Record<string, Partial<RaftRules>>;

export type BuggyRuleName = keyof typeof buggyRules;
