// Public API of @course/paxos: Basic Paxos and Multi-Paxos nodes, their rules as pure functions, and broken variants.

export * from "./ballot.js";
export * from "./quorum.js";
export * from "./metrics.js";
export * from "./describe-faults.js";
export * from "./basic/index.js";
export * from "./multi/index.js";
export * from "./story.js";
