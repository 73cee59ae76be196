// Multi-Paxos under random faults: safe, each command executed once, and after the faults every command answered.

import { describe, expect, it } from "vitest";
import { formatMultiPaxosSummary, MULTI_PAXOS_LIVENESS_BOUND, runMultiPaxosRandom, summarizeMultiPaxosRuns, type MultiPaxosRunResult } from "../src/index.js";
import { failuresOver, seedsToRun, timeoutFor } from "./seeds.js";

const FILE = "multipaxos-random.test.ts";

/** A run that did not recover reads as a failure with what was still missing (failuresOver prints `report`). */
const asFailure = (r: MultiPaxosRunResult) => (r.live ? r : { ...r, violation: "liveness", report: `not recovered ${MULTI_PAXOS_LIVENESS_BOUND} ms after the faults stopped: ${r.stuck}` });

describe("Multi-Paxos, randomized faults (crash, pause, partition, cut, loss, duplicates) with retrying clients", () => {
  const seeds = seedsToRun(500);
  for (const nodes of [3, 5, 7]) {
    it(`is safe, executes each command once, and recovers within ${MULTI_PAXOS_LIVENESS_BOUND} ms on ${seeds.length} seed(s), ${nodes} nodes`, () => {
      const results: MultiPaxosRunResult[] = [];
      const failures = failuresOver(seeds, FILE, (seed) => {
        const r = runMultiPaxosRandom(seed, { nodes });
        results.push(r);
        return asFailure(r);
      });
      const summary = summarizeMultiPaxosRuns(results);
      console.log(`Multi-Paxos, ${nodes} nodes: ${formatMultiPaxosSummary(summary)}`);
      expect(failures, failures.join("\n")).toEqual([]);
      expect(summary.appliedTwice).toBe(0);
      expect(summary.answered).toBe(summary.commands);
      // The zero above means something only if the runs do produce copies for the sessions to catch.
      if (seeds.length >= 100) expect(summary.chosenTwice).toBeGreaterThan(0);
    }, timeoutFor(seeds));
  }
});
