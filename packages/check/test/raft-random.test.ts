// Random fault schedules against the reference Raft: no invariant may break, acknowledged writes survive exactly once,
// and after the faults heal a leader commits a new write. Replay one seed with SEED=<n>.

import { describe, expect, it } from "vitest";
import type { RaftNode, RaftOptions } from "@course/raft";
import { leaderOf, lostOrDuplicatedWrites, randomRun } from "./raft-cluster.js";
import { seedsToRun, timeoutFor } from "./seeds.js";

const FILE = "packages/check/test/raft-random.test.ts";

const CONFIGS: ReadonlyArray<{ name: string; seeds: number; first: number; raft: RaftOptions }> = [
  { name: "plain Raft", seeds: 400, first: 1, raft: {} },
  { name: "PreVote + CheckQuorum", seeds: 300, first: 10_001, raft: { preVote: true, checkQuorum: true } },
  { name: "pipelined, snapshots every 5 entries, no-op on election", seeds: 300, first: 20_001, raft: { pipeline: true, snapshotEvery: 5, noopOnElection: true } },
];

/**
 * Besides the nemesis's faults, every link loses and duplicates a few messages all along (and reorders them by
 * random latency): duplicated and stale AppendEntries, votes and replies are where term and index checks go wrong.
 */
const NETWORK = { latency: { kind: "uniform", min: 1, max: 10 }, drop: 0.02, duplicate: 0.05 } as const;

/** About four faults per second of each run's three faulty seconds, twice the shared default, so most runs see several overlapping faults. */
const RATES = { crash: 1.2, pause: 0.6, partition: 1, cut: 0.6, lossy: 0.6 } as const;

/** Returns a description of what went wrong with this seed, or undefined. */
function checkSeed(seed: number, raft: RaftOptions): string | undefined {
  const sim = randomRun({ seed, raft, network: NETWORK, rates: RATES });
  sim.runUntilTime(4000);
  if (sim.violation) return sim.violationReport();
  const leader = leaderOf(sim);
  if (leader === undefined) return `no leader 1 s after the faults healed (seed ${seed})`;
  const id = sim.request(leader, { type: "append", key: "final", value: "z;", seq: 1 }, "final");
  sim.runFor(1000);
  if (sim.violation) return sim.violationReport();
  const reply = sim.requests.find((r) => r.request.id === id)?.result as { ok?: boolean } | undefined;
  if (!reply?.ok) return `a write to leader ${leader} after healing got ${JSON.stringify(reply)} (seed ${seed})`;
  const problems = lostOrDuplicatedWrites(sim, sim.node<RaftNode>(leader) as RaftNode);
  return problems.length > 0 ? `${problems.join("; ")} (seed ${seed})` : undefined;
}

describe("Raft under random fault schedules (crashes, pauses, partitions, cuts, lossy periods)", () => {
  for (const config of CONFIGS) {
    const seeds = seedsToRun(config.seeds, config.first);
    it(`${config.name}: ${process.env.SEED ? `seed ${seeds[0]}` : `${seeds.length} seeds`} with zero violations`, () => {
      const failures: string[] = [];
      for (const seed of seeds) {
        const problem = checkSeed(seed, config.raft);
        if (problem !== undefined) failures.push(`${problem}\n  replay: SEED=${seed} npx vitest run ${FILE} -t "${config.name}"`);
        if (failures.length >= 3) break;
      }
      expect(failures, failures.join("\n")).toEqual([]);
    }, Math.max(120_000, timeoutFor(seeds, 100)));
  }
});
