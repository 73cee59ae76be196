// Basic Paxos: messages, the acceptor/proposer/learner rules, the node, and deliberately broken variants.

export * from "./messages.js";
export * from "./acceptor.js";
export * from "./proposer.js";
export * from "./learner.js";
export * from "./rules.js";
export { createPaxosNode, type PaxosNodeOptions, type ProposerPhase, type ProposerState, type BasicPaxosInspection, type BasicPaxosNode } from "./node.js";
export * from "./mutants.js";
export * from "./describe.js";
