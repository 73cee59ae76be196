// Two-phase commit under random faults: atomic on every seed, and every transaction finishes once faults stop.

import { describe, expect, it } from "vitest";
import { runTwoPcRandom } from "../src/index.js";
import { failuresOver, seedsToRun, timeoutFor } from "./seeds.js";

describe("two-phase commit, randomized faults (the coordinator crashes too)", () => {
  const seeds = seedsToRun(500);
  it(`is atomic and finishes every transaction on ${seeds.length} seed(s)`, () => {
    const failures = failuresOver(seeds, "twopc-random.test.ts", (seed) => runTwoPcRandom(seed));
    expect(failures, failures.join("\n")).toEqual([]);
  }, timeoutFor(seeds));
});
