// Public API of @course/paxos: Basic Paxos and Multi-Paxos nodes, their rules as pure functions, and broken variants.

export * from "./ballot.js";
export * from "./quorum.js";
// Trace measurements live in the simulator package; re-exported here for the Paxos lessons that use them.
export { countSends, formatCounts, messageDelaysUntil, messageDepths, traceMark } from "@course/sim";
export * from "./describe-faults.js";
export * from "./basic/index.js";
export * from "./multi/index.js";
export * from "./story.js";
