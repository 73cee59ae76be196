// Which seeds a simulation test runs: a fixed regression set, fresh random seeds, or exactly one seed to replay.

import { randomInt } from "node:crypto";

/** Fresh random seeds per simulation test in `npm run grade`, on top of the fixed regression seeds (COURSE_FRESH_SEEDS overrides). */
export const DEFAULT_FRESH_SEEDS = 40;

export interface SeedPlan {
  readonly seeds: readonly number[];
  /** How many of them are fresh (random this run) rather than from the fixed regression set. */
  readonly fresh: number;
  /** COURSE_SEED was given: replay that one seed with the trace recorded. */
  readonly replay: boolean;
  /** COURSE_STRESS=1: run every seed even after a failure, to measure a failure rate. */
  readonly stress: boolean;
}

/**
 * COURSE_SEED=N runs only seed N. Otherwise: the fixed seeds 1..`fixed` (the regression set that must always
 * pass, and the one the mutant proof relies on) plus COURSE_FRESH_SEEDS (default `fresh`) random seeds, so
 * every run also explores schedules nobody has tried before. A test's `cap` limits the fresh seeds of an ordinary
 * run; in stress mode (COURSE_STRESS=1, `npm run grade -- --seeds N`) every test runs all of them.
 */
export function seedPlan(fixed: number, fresh: number, env: NodeJS.ProcessEnv = process.env, cap = Infinity): SeedPlan {
  const stress = env.COURSE_STRESS === "1";
  const one = env.COURSE_SEED;
  if (one !== undefined && one !== "") {
    if (!/^\d+$/.test(one.trim())) throw new Error(`COURSE_SEED must be a whole number, got "${one}"`);
    return { seeds: [Number(one)], fresh: 0, replay: true, stress };
  }
  // `cap`: a scripted scenario barely depends on its seed, so a test may ask for fewer fresh seeds than a run offers
  // by default. Stress mode (`--seeds N`) asked for N fresh seeds on purpose: every test runs all N.
  const offered = env.COURSE_FRESH_SEEDS !== undefined && /^\d+$/.test(env.COURSE_FRESH_SEEDS) ? Number(env.COURSE_FRESH_SEEDS) : fresh;
  const freshCount = stress ? offered : Math.min(cap, offered);
  const seeds: number[] = [];
  for (let s = 1; s <= fixed; s++) seeds.push(s);
  const used = new Set(seeds);
  while (seeds.length < fixed + freshCount) {
    const s = randomInt(1000, 2 ** 31 - 1);
    if (!used.has(s)) {
      used.add(s);
      seeds.push(s);
    }
  }
  return { seeds, fresh: freshCount, replay: false, stress };
}
