// The quorum oracle and the reference check agree on random quorum systems, and the oracle accepts only correct verdicts.

import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { checkQuorums, type QuorumSystem } from "@course/paxos";
import { truthOf, verdictProblem } from "./quorum-oracle.js";

/** A cluster of 1 to 6 nodes and two quorum systems over it, by size (0 to N+1) or as lists of sets, repeats included. */
const systems = fc.integer({ min: 1, max: 6 }).chain((nodes) => {
  const system: fc.Arbitrary<QuorumSystem> = fc.oneof(
    fc.integer({ min: 0, max: nodes + 1 }).map((size) => ({ size })),
    fc.array(fc.array(fc.integer({ min: 0, max: nodes - 1 }), { maxLength: nodes + 1 }), { maxLength: 4 }).map((sets) => ({ sets })),
  );
  return fc.tuple(fc.constant(nodes), system, system);
});

describe("the quorum oracle", () => {
  it("accepts the reference's verdict on every pair of systems", () => {
    fc.assert(fc.property(systems, ([nodes, p1, p2]) => verdictProblem(nodes, p1, p2, checkQuorums(nodes, p1, p2)) === undefined), { numRuns: 2000 });
  });

  it("knows size systems: they meet exactly when the sizes add up to more than N and both fit", () => {
    for (let nodes = 1; nodes <= 7; nodes++) {
      for (let a = 0; a <= nodes + 1; a++) {
        for (let b = 0; b <= nodes + 1; b++) {
          const truth = truthOf(nodes, { size: a }, { size: b });
          expect(truth.noQuorum.length > 0 || truth.disjoint, `${nodes}: ${a} and ${b}`).toBe(!(a + b > nodes && a <= nodes && b <= nodes));
        }
      }
    }
  });

  it("refuses wrong verdicts: a refused safe pair, a wrong phase, evidence that overlaps or is not a quorum", () => {
    expect(verdictProblem(5, { size: 3 }, { size: 3 }, { ok: false, reason: "disjoint", phase1: [0, 1, 2], phase2: [3, 4] })).toMatch(/safe/);
    expect(verdictProblem(3, { size: 4 }, { size: 1 }, { ok: false, reason: "no-quorum", phase: 2 })).toMatch(/phase 1 has no quorum/);
    expect(verdictProblem(5, { size: 3 }, { size: 2 }, { ok: false, reason: "disjoint", phase1: [0, 1, 2], phase2: [2, 3] })).toMatch(/share node 2/);
    expect(verdictProblem(5, { size: 3 }, { size: 2 }, { ok: false, reason: "disjoint", phase1: [0, 0, 1], phase2: [3, 4] })).toMatch(/2 distinct nodes/);
    expect(verdictProblem(5, { size: 3 }, { size: 2 }, { ok: false, reason: "disjoint", phase1: [0, 1, 2], phase2: [4, 5] })).toMatch(/node ids from 0 to 4/);
    expect(verdictProblem(4, { sets: [[0, 1]] }, { sets: [[2, 3]] }, { ok: false, reason: "disjoint", phase1: [0, 1], phase2: [2] })).toMatch(/none of the listed sets/);
    expect(verdictProblem(3, { size: 4 }, { size: 5 }, { ok: false, reason: "no-quorum", phase: 2 })).toBeUndefined();
  });
});
