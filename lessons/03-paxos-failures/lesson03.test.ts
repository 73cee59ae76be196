// Lesson 3's scenarios: the seed's failed round exactly, the livelock and its fix, the minority, the surviving value.

import { describe, expect, it } from "vitest";
import type { TraceEvent } from "@course/sim";
import type { BasicPaxosNode, PaxosMessage } from "@course/paxos";
import { lesson03 } from "./index.js";
import { checkScenario, noteSeq } from "./scenario-checks.js";

const scenario = (id: string) => {
  const s = lesson03.scenarios.find((x) => x.id === id);
  if (!s) throw new Error(`no scenario ${id}`);
  return s;
};
const sends = (trace: readonly TraceEvent[], type: string, until = Infinity) =>
  trace.filter((e): e is Extract<TraceEvent, { kind: "send" }> => e.kind === "send" && e.msg.type === type && e.seq < until);
const learnedAt = (run: ReturnType<typeof checkScenario>, id: number) => run.sim.node<BasicPaxosNode>(id)?.inspect().learned;

describe("lesson 3, case 1: the seed's lost promise", () => {
  for (const seed of [1, 7]) {
    it(`reproduces 'got 2, need 3' from acceptors 0 and 4, then chooses x=42 in round 2 (seed ${seed})`, () => {
      const run = checkScenario(scenario("lost-promise"), seed);
      expect(run.sim.violation).toBeUndefined();
      const failure = noteSeq(run, /got 2, need 3/);
      const round1 = sends(run.sim.trace, "promise", failure);
      expect(round1.map((e) => e.from).sort()).toEqual([0, 4]);
      expect(round1.every((e) => e.to === 2 && (e.msg as PaxosMessage).n.round === 1)).toBe(true);
      expect(sends(run.sim.trace, "prepare", failure).every((e) => e.from === 2)).toBe(true);
      expect(learnedAt(run, 2)).toBe("x=42");
      expect(run.result).toMatch(/value='x=42' at n=2\.2/);
    });
  }
});

describe("lesson 3, case 2: dueling proposers", () => {
  it("chooses one value with backoff", () => {
    const run = checkScenario(scenario("dueling-proposers"), 1);
    expect(run.sim.violation).toBeUndefined();
    expect([learnedAt(run, 1), learnedAt(run, 3)].some((v) => v === "a" || v === "b")).toBe(true);
  });
  it("livelocks without backoff: many rounds, nothing chosen, nothing unsafe", () => {
    const run = checkScenario(scenario("dueling-proposers"), 1, "no-backoff");
    expect(run.sim.violation).toBeUndefined();
    expect([0, 1, 2, 3, 4].map((id) => learnedAt(run, id))).toEqual([undefined, undefined, undefined, undefined, undefined]);
    expect(sends(run.sim.trace, "prepare").length).toBeGreaterThan(50);
    expect(run.result).toMatch(/no value chosen/);
  });
});

describe("lesson 3, case 3: a minority alive", () => {
  it("chooses nothing while two nodes are up, and the value once a third returns", () => {
    const run = checkScenario(scenario("minority-alive"), 1);
    expect(run.sim.violation).toBeUndefined();
    const back = noteSeq(run, /^Node 0 comes back/);
    expect(run.sim.trace.some((e) => e.seq < back && e.kind === "state" && (e.view as { learned?: unknown }).learned != null)).toBe(false);
    expect(learnedAt(run, 2)).toBe("x=42");
  });
});

describe("lesson 3, case 4: a chosen value survives", () => {
  it("makes the late proposer adopt x=42", () => {
    const run = checkScenario(scenario("chosen-survives"), 1);
    expect(run.sim.violation).toBeUndefined();
    const late = run.sim.node<BasicPaxosNode>(4)?.inspect();
    expect(late?.proposer.ownValue).toBe("y=7");
    expect(late?.proposer.proposing).toBe("x=42");
    expect(sends(run.sim.trace, "accept").some((e) => (e.msg as PaxosMessage & { v?: string }).v === "y=7")).toBe(false);
  });
  it("lets the checker catch the broken proposer that ignores accepted values", () => {
    const run = checkScenario(scenario("chosen-survives"), 1, "ignore-accepted");
    expect(run.sim.violation?.checker).toBe("Paxos: at most one value chosen");
    expect(run.sim.trace.some((e) => e.kind === "violation")).toBe(true);
  });
});
