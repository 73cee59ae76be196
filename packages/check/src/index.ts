// Public API of @course/check.

export {};
export { paxosChecker } from "./paxos.js";
export { multiPaxosChecker, type MultiPaxosCheckerOptions } from "./multipaxos.js";
export { checkExactlyOnceMultiPaxos, checkChosenOnceMultiPaxos, MULTI_PAXOS_EXACTLY_ONCE, MULTI_PAXOS_CHOSEN_ONCE, type FindingOptions } from "./multipaxos-exactly-once.js";
export { RetryingMultiPaxosClients, type ClientScript, type ClientTiming } from "./multipaxos-clients.js";
export { twoPcChecker } from "./twopc.js";
export { BallotLedger, opValue } from "./paxos-ballots.js";
export { runPaxosRandom, nemesisFor, RANDOM_NETWORK, DEFAULT_NEMESIS, type NemesisSettings, type RandomRunOptions, type RandomRunResult } from "./paxos-random.js";
export {
  runMultiPaxosRandom,
  summarizeMultiPaxosRuns,
  formatMultiPaxosSummary,
  MULTI_PAXOS_LIVENESS_BOUND,
  type MultiPaxosRandomOptions,
  type MultiPaxosRunResult,
  type MultiPaxosRunSummary,
} from "./multipaxos-random.js";
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
export { parseShard, shardOf, rangeValues, describeRange, type Shard, type NumberRange } from "./shard.js";
export { raftAppliedOnce } from "./raft-applied-once.js";
export { runRaftRandom, raftVariant, RAFT_LIVENESS_BOUND, RAFT_RANDOM_NETWORK, RAFT_RANDOM_RATES, type RaftRandomOptions, type RaftRandomResult } from "./raft-random.js";
export { crashAfterCommit, crashAfterVote, figure8Episodes, gridTimeouts, type AdversaryFactory, type AdversaryPlan, type RaftAdversary } from "./raft-adversary.js";
export { RAFT_STRESS_PROFILES, STRESS_TEST_FILE, runStress, stressFailure, stressSeeds, type RaftStressProfile } from "./raft-stress.js";
