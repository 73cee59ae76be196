// The set of replaceable Raft rules: the reference versions, bundled so a node can swap any one for another.

import { handlePreVote, handleRequestVote, isLogUpToDate, randomElectionTimeout } from "./election.js";
import { persistenceDecision } from "./persistence.js";
import { advanceCommitIndex, handleAppendEntries, handleAppendEntriesReply } from "./replication.js";
import { handleInstallSnapshot } from "./snapshot.js";

export interface RaftRules {
  readonly handleRequestVote: typeof handleRequestVote;
  readonly handlePreVote: typeof handlePreVote;
  readonly handleAppendEntries: typeof handleAppendEntries;
  readonly handleAppendEntriesReply: typeof handleAppendEntriesReply;
  readonly advanceCommitIndex: typeof advanceCommitIndex;
  readonly persistenceDecision: typeof persistenceDecision;
  readonly handleInstallSnapshot: typeof handleInstallSnapshot;
  readonly randomElectionTimeout: typeof randomElectionTimeout;
}

export const referenceRules: RaftRules = {
  handleRequestVote,
  handlePreVote,
  handleAppendEntries,
  handleAppendEntriesReply,
  advanceCommitIndex,
  persistenceDecision,
  handleInstallSnapshot,
  randomElectionTimeout,
};

export {
  handlePreVote,
  handleRequestVote,
  isLogUpToDate,
  randomElectionTimeout,
  persistenceDecision,
  advanceCommitIndex,
  handleAppendEntries,
  handleAppendEntriesReply,
  handleInstallSnapshot,
};
export type { VoterState, VoteDecision } from "./election.js";
export type { AppendDecision, FollowerState, LeaderCommitState, PeerProgress } from "./replication.js";
export type { HardState, PersistenceDecision } from "./persistence.js";
export type { SnapshotDecision } from "./snapshot.js";
