// Public API of @course/twopc: two-phase commit's rules as pure functions, the node, and broken variants.

export * from "./messages.js";
export * from "./participant.js";
export * from "./coordinator.js";
export * from "./rules.js";
export { createTwoPcNode, type TwoPcNodeOptions, type TwoPcInspection, type TwoPcNode } from "./node.js";
export * from "./mutants.js";
export * from "./describe.js";
