// The Raft stress search: random schedules with membership changes, snapshots and faults on 3, 5 and 7 servers, and
// adversarial ones; every invariant and the exactly-once checker after every event, then the liveness bound.
// Replay one seed with SEED=<n> (the profile whose seed range holds it runs it); STRESS_SEEDS=<n> runs n per profile.

import { describe, expect, it } from "vitest";
import { RAFT_LIVENESS_BOUND, RAFT_STRESS_PROFILES, runStress, stressFailure, stressSeeds, type RaftStressProfile } from "../src/index.js";

const only = process.env.SEED === undefined || process.env.SEED === "" ? undefined : Number(process.env.SEED);
const perProfile = process.env.STRESS_SEEDS === undefined ? undefined : Number(process.env.STRESS_SEEDS);
if (only !== undefined && !Number.isInteger(only)) throw new Error(`SEED must be an integer, got ${JSON.stringify(process.env.SEED)}`);
if (perProfile !== undefined && !(Number.isInteger(perProfile) && perProfile > 0)) throw new Error(`STRESS_SEEDS must be a positive integer, got ${JSON.stringify(process.env.STRESS_SEEDS)}`);

function seedsOf(profile: RaftStressProfile): number[] {
  if (only !== undefined) return only >= profile.first && only < profile.first + Math.max(profile.seeds, perProfile ?? 0) ? [only] : [];
  return stressSeeds(perProfile === undefined ? profile : { ...profile, seeds: perProfile });
}

describe(`Raft stress search: no violation, nothing applied twice, and recovery within ${RAFT_LIVENESS_BOUND} ms once the faults stop`, () => {
  for (const profile of RAFT_STRESS_PROFILES) {
    const seeds = seedsOf(profile);
    it.skipIf(seeds.length === 0)(`${profile.name}: ${seeds.length === 1 ? `seed ${seeds[0]}` : `${seeds.length} seeds`}`, () => {
      const failures: string[] = [];
      for (const seed of seeds) {
        const failure = stressFailure(profile, runStress(profile, seed));
        if (failure !== undefined) failures.push(failure);
        if (failures.length >= 3) break;
      }
      expect(failures, failures.join("\n")).toEqual([]);
    }, Math.max(60_000, seeds.length * 200));
  }
});
