// Which seeds a randomized test runs: SEED=n replays one, STRESS_SEEDS=n runs more, SEED_START shifts the range, STRESS_SHARD=i/n takes the i-th of n disjoint pieces.

import { parseShard, rangeValues, shardOf } from "../src/index.js";

/** `defaultStart` lets a test keep its own seed range (a second configuration starting at 10,001, say). */
export function seedsToRun(defaultCount: number, defaultStart = 1): number[] {
  const one = process.env.SEED;
  if (one !== undefined && one !== "") {
    const seed = Number(one);
    if (!Number.isInteger(seed)) throw new Error(`SEED must be an integer, got ${JSON.stringify(one)}`);
    return [seed];
  }
  const count = Number(process.env.STRESS_SEEDS ?? defaultCount);
  const start = Number(process.env.SEED_START ?? defaultStart);
  if (!Number.isInteger(count) || count < 1 || !Number.isInteger(start)) throw new Error("STRESS_SEEDS and SEED_START must be integers");
  const shard = process.env.STRESS_SHARD;
  const range = { first: start, count };
  return rangeValues(shard === undefined || shard === "" ? range : shardOf(range, parseShard(shard)));
}

/** The line a failure prints so that anyone can replay the failing seed alone. */
export function replayCommand(seed: number, testFile: string): string {
  return `SEED=${seed} npx vitest run packages/check/test/${testFile}`;
}

export interface SeedFailure {
  readonly seed: number;
  readonly why: string;
}

/** Runs every seed and returns what failed, each with its replay command; stops early after a few failures. */
export function failuresOver(seeds: readonly number[], testFile: string, run: (seed: number) => { violation?: unknown; report?: string; live: boolean }, limit = 5): string[] {
  const out: string[] = [];
  for (const seed of seeds) {
    const r = run(seed);
    if (r.violation !== undefined) out.push(`seed ${seed}: ${r.report}\n  replay: ${replayCommand(seed, testFile)}`);
    else if (!r.live) out.push(`seed ${seed}: no progress within the liveness bound after the faults stopped\n  replay: ${replayCommand(seed, testFile)}`);
    if (out.length >= limit) break;
  }
  return out;
}

/** A test timeout that grows with the number of seeds (about 20 ms per Multi-Paxos run on two cores, with room). */
export function timeoutFor(seeds: readonly number[], msPerSeed = 60): number {
  return Math.max(30_000, seeds.length * msPerSeed);
}
