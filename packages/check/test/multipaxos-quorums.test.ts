// Pluggable quorum sizes: intersecting phase-1 and phase-2 quorums stay safe and live; non-intersecting ones are caught.

import { describe, expect, it } from "vitest";
import { runMultiPaxosRandom } from "../src/index.js";

const SEEDS = Array.from({ length: 100 }, (_, i) => i + 1);
const N = 5;

describe("Multi-Paxos with phase-1 and phase-2 quorums of other sizes than a majority (Flexible Paxos)", () => {
  for (const [phase1, phase2] of [[4, 2], [2, 4], [5, 1], [1, 5]] as const) {
    it(`|Q1| = ${phase1}, |Q2| = ${phase2} of ${N}: every phase-1 quorum meets every phase-2 quorum, so every run is safe and live`, () => {
      expect(phase1 + phase2).toBeGreaterThan(N);
      const bad = SEEDS.map((seed) => runMultiPaxosRandom(seed, { node: { quorums: { phase1, phase2 } } })).filter((r) => r.violation || !r.live);
      expect(bad.map((r) => `seed ${r.seed}: ${r.report ?? r.stuck}`)).toEqual([]);
    }, 60_000);
  }

  for (const [phase1, phase2] of [[3, 2], [2, 3], [4, 1]] as const) {
    it(`|Q1| = ${phase1}, |Q2| = ${phase2} of ${N}: the quorums can miss each other, and the safety checker catches two values chosen in one slot`, () => {
      expect(phase1 + phase2).toBeLessThanOrEqual(N);
      const caught = SEEDS.map((seed) => runMultiPaxosRandom(seed, { node: { quorums: { phase1, phase2 } } })).find((r) => r.violation !== undefined);
      expect(caught?.violation?.checker, `no seed in 1-${SEEDS.length} exposed it`).toBe("Paxos: at most one value chosen");
    }, 60_000);
  }
});
