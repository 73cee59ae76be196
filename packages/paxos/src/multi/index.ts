// Multi-Paxos: messages, the per-slot rules, client sessions, quorum sizes and quorum systems, the replica, and deliberately broken variants.

export * from "./messages.js";
export * from "./acceptor.js";
export * from "./leader.js";
export * from "./learner.js";
export * from "./rules.js";
export * from "./sessions.js";
export * from "./quorums.js";
export * from "./quorum-systems.js";
export { createMultiPaxosNode, type MultiPaxosNodeOptions, type MultiRole, type MultiPaxosInspection, type MultiPaxosNode } from "./node.js";
export * from "./mutants.js";
export * from "./describe.js";
