// Lesson 1's runs: 2PC participants stay blocked while the coordinator is down; Paxos decides with two nodes down.

import { describe, expect, it } from "vitest";
import type { BasicPaxosNode } from "@course/paxos";
import type { TwoPcNode } from "@course/twopc";
import { checkScenario, noteSeq } from "../03-paxos-failures/scenario-checks.js";
import { lesson01 } from "./index.js";

const scenario = (id: string) => lesson01.scenarios.find((s) => s.id === id) as (typeof lesson01.scenarios)[number];

describe("lesson 1: two-phase commit blocks", () => {
  for (const seed of [1, 7]) {
    it(`keeps every participant prepared while the coordinator is down, then commits (seed ${seed})`, () => {
      const run = checkScenario(scenario("2pc-blocks"), seed);
      expect(run.sim.violation).toBeUndefined();
      const crash = run.sim.trace.find((e) => e.kind === "crash" && e.node === 0);
      const restart = run.sim.trace.find((e) => e.kind === "restart" && e.node === 0);
      expect(crash && restart && restart.time - crash.time).toBeGreaterThanOrEqual(1000);
      // Nothing is decided at a participant while the coordinator is down.
      const decidedMeanwhile = run.sim.trace.filter((e) => e.kind === "persist" && e.node !== 0 && e.seq > (crash?.seq ?? 0) && e.seq < (restart?.seq ?? 0));
      expect(decidedMeanwhile).toEqual([]);
      noteSeq(run, /4 of 4 participants still prepared/);
      for (const id of [1, 2, 3, 4]) expect(run.sim.node<TwoPcNode>(id)?.inspect().txns.t1).toBe("committed");
    });
  }

  it("lets the checker catch a participant that aborts when in doubt", () => {
    const run = checkScenario(scenario("2pc-blocks"), 1, "abort-when-in-doubt");
    expect(run.sim.violation?.checker).toBe("2PC: atomicity");
    expect(run.sim.violation?.message).toMatch(/aborted at node 1/);
  });
});

describe("lesson 1: a majority keeps going", () => {
  it("chooses the value with nodes 0 and 3 down", () => {
    const run = checkScenario(scenario("majority-keeps-going"), 1);
    expect(run.sim.violation).toBeUndefined();
    for (const id of [1, 2, 4]) expect(run.sim.node<BasicPaxosNode>(id)?.inspect().learned).toBe("commit t1");
  });
});
