// Basic Paxos under random faults: no safety violation on any seed, and a value is chosen once faults stop.

import { describe, expect, it } from "vitest";
import { runPaxosRandom } from "../src/index.js";
import { failuresOver, seedsToRun, timeoutFor } from "./seeds.js";

describe("Basic Paxos, randomized faults (crash, pause, partition, cut, loss, duplicates)", () => {
  const seeds = seedsToRun(500);
  it(`is safe and live on ${seeds.length} seed(s)`, () => {
    const failures = failuresOver(seeds, "paxos-random.test.ts", (seed) => runPaxosRandom(seed));
    expect(failures, failures.join("\n")).toEqual([]);
  }, timeoutFor(seeds));
});
