// Multi-Paxos under random faults: replicas agree slot by slot, and after the faults a command reaches every log.

import { describe, expect, it } from "vitest";
import { runMultiPaxosRandom } from "../src/index.js";
import { failuresOver, seedsToRun, timeoutFor } from "./seeds.js";

describe("Multi-Paxos, randomized faults (crash, pause, partition, cut, loss, duplicates)", () => {
  const seeds = seedsToRun(500);
  it(`is safe and live on ${seeds.length} seed(s)`, () => {
    const failures = failuresOver(seeds, "multipaxos-random.test.ts", (seed) => runMultiPaxosRandom(seed));
    expect(failures, failures.join("\n")).toEqual([]);
  }, timeoutFor(seeds));
});
