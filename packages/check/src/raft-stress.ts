// The Raft stress search CI runs: which kinds of random schedule, on how many servers, and how many seeds of each.

import { crashAfterCommit, crashAfterVote, figure8Episodes, gridTimeouts } from "./raft-adversary.js";
import { RAFT_LIVENESS_BOUND, runRaftRandom, type RaftRandomOptions, type RaftRandomResult } from "./raft-random.js";

export interface RaftStressProfile {
  readonly name: string;
  /** Seeds first .. first + seeds - 1 run in CI; the ranges do not overlap. */
  readonly first: number;
  readonly seeds: number;
  readonly options: RaftRandomOptions;
}

const FAULTS_UNTIL = 3000;

/**
 * General runs (every fault, membership changes, snapshots, the seed's choice of server options) on 3, 5 and 7
 * servers, and two adversarial ones aimed at the bugs plain random faults almost never expose: Figure 8's shape
 * for committing by counting, and a voter crashing right after its vote (with election timeouts on a grid, so two
 * candidates often stand in one term) for forgetting votedFor.
 */
export const RAFT_STRESS_PROFILES: readonly RaftStressProfile[] = [
  { name: "3 servers: membership changes, snapshots, faults", first: 1, seeds: 600, options: { nodes: 3, faultsUntil: FAULTS_UNTIL } },
  { name: "5 servers: membership changes, snapshots, faults", first: 100_001, seeds: 600, options: { nodes: 5, faultsUntil: FAULTS_UNTIL } },
  { name: "7 servers: membership changes, snapshots, faults", first: 200_001, seeds: 250, options: { nodes: 7, faultsUntil: FAULTS_UNTIL } },
  {
    name: "Figure 8 episodes, 3 servers, no election no-op",
    first: 300_001,
    seeds: 300,
    options: { nodes: 3, faultsUntil: FAULTS_UNTIL, clients: 1, membership: false, rates: {}, raft: { noopOnElection: false }, adversaries: [figure8Episodes(3)] },
  },
  {
    name: "crash right after a vote, 3 servers, election timeouts on a grid",
    first: 400_001,
    seeds: 300,
    options: {
      nodes: 3,
      faultsUntil: FAULTS_UNTIL,
      clients: 1,
      membership: false,
      rates: {},
      raft: { electionTimeoutOverride: gridTimeouts(FAULTS_UNTIL) },
      adversaries: [crashAfterVote(1), crashAfterCommit(0.1)],
    },
  },
];

export function stressSeeds(profile: RaftStressProfile): number[] {
  return Array.from({ length: profile.seeds }, (_, k) => profile.first + k);
}

/** One stress run; `rules` replaces Raft rules on every server (a known buggy variant, say). */
export function runStress(profile: RaftStressProfile, seed: number, extra: RaftRandomOptions = {}): RaftRandomResult {
  return runRaftRandom(seed, { ...profile.options, ...extra, raft: { ...(profile.options.raft ?? {}), ...(extra.raft ?? {}) } });
}

/** The test file that runs the stress search, as the replay command names it. */
export const STRESS_TEST_FILE = "packages/check/test/raft-random.test.ts";

/** What went wrong in a stress run, with its seed, options and the command that replays it; undefined if nothing. */
export function stressFailure(profile: RaftStressProfile, r: RaftRandomResult): string | undefined {
  const why = r.violation !== undefined ? r.report : r.live ? undefined : `not recovered ${RAFT_LIVENESS_BOUND} ms after the faults stopped: ${r.stuck}`;
  if (why === undefined) return undefined;
  return `seed ${r.seed} [${r.options}]: ${why}\n  replay: SEED=${r.seed} npx vitest run ${STRESS_TEST_FILE} -t "${profile.name}"`;
}
