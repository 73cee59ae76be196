// Public API of @course/check.

export {};
export { paxosChecker } from "./paxos.js";
export { multiPaxosChecker } from "./multipaxos.js";
export { twoPcChecker } from "./twopc.js";
export { BallotLedger, opValue } from "./paxos-ballots.js";
export { runPaxosRandom, nemesisFor, RANDOM_NETWORK, DEFAULT_NEMESIS, type NemesisSettings, type RandomRunOptions, type RandomRunResult } from "./paxos-random.js";
export { runMultiPaxosRandom } from "./multipaxos-random.js";
export { runTwoPcRandom } from "./twopc-random.js";
export {
  electionSafety,
  logMatching,
  leaderCompleteness,
  stateMachineSafety,
  commitIndexMonotonic,
  appliedEntriesDurable,
  raftInvariants,
  RAFT_INVARIANT_NAMES,
  type RaftHook,
} from "./raft-invariants.js";
export * from "./linearizability/index.js";
