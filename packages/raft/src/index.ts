// Public API of @course/raft.

export { RaftNode, createRaftNode } from "./node.js";
export type { RaftOptions } from "./options.js";
export { RaftLog, firstIndexOfTerm, lastIndexOfTerm, type LogView } from "./log.js";
export { majority, quorumIndex, voteResult, type VoteResult } from "./quorum.js";
export { KvStore, formatCommand, type KvImage } from "./kv.js";
export { withStateMachine, type ApplyCommand } from "./plugged-state-machine.js";
export { hashEntries } from "./canonical.js";
export { readDurableState, durableLogReader, snapshotIndexOf, type DurableState } from "./storage.js";
export * from "./rules/index.js";
export * from "./buggy.js";
export type * from "./types.js";
export { leaderOf, raftNodes, waitForLeader, scriptedTimeouts, succeeded, type TimeoutWindow } from "./script.js";
export { runFigure8, FIGURE8_SERVERS, type Figure8Future, type Figure8Options, type Figure8Phase, type PhaseHook } from "./scenarios/figure8.js";
export { raftDescriber, serverName, type DescriberOptions } from "./narrate.js";
export { finishStory, sendsByType, formatCounts } from "./story.js";
