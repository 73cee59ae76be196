// Public API of @course/twopc: two-phase commit's rules as pure functions, the node (optionally with its decision
// replicated by Paxos), and broken variants.

export * from "./messages.js";
export * from "./participant.js";
export * from "./coordinator.js";
export * from "./rules.js";
export { createTwoPcNode, type ReplicatedDecisionOptions, type TwoPcNodeOptions, type TwoPcInspection, type TwoPcNode } from "./node.js";
export { DecisionPaxos, type DecisionPaxosOptions } from "./decision-paxos.js";
export * from "./mutants.js";
export * from "./describe.js";
