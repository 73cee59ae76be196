// The Raft stress search: random schedules with membership changes, snapshots and faults on 3, 5 and 7 servers, and
// adversarial ones; every invariant and the exactly-once checker after every event, then the liveness bound.
// Replay one seed with SEED=<n> and -t "<profile>" (the printed command); STRESS_SEEDS=<n> runs n per profile, STRESS_SHARD=i/n a piece.

import { describe, expect, it } from "vitest";
import { RAFT_LIVENESS_BOUND, RAFT_STRESS_PROFILES, runStress, stressFailure } from "../src/index.js";
import { seedsToRun, timeoutFor } from "./seeds.js";

describe(`Raft stress search: no violation, nothing applied twice, and recovery within ${RAFT_LIVENESS_BOUND} ms once the faults stop`, () => {
  for (const profile of RAFT_STRESS_PROFILES) {
    const seeds = seedsToRun(profile.seeds, profile.first);
    it.skipIf(seeds.length === 0)(`${profile.name}: ${seeds.length === 1 ? `seed ${seeds[0]}` : `${seeds.length} seeds`}`, () => {
      const failures: string[] = [];
      for (const seed of seeds) {
        const failure = stressFailure(profile, runStress(profile, seed));
        if (failure !== undefined) failures.push(failure);
        if (failures.length >= 3) break;
      }
      expect(failures, failures.join("\n")).toEqual([]);
    }, timeoutFor(seeds, 200));
  }
});
