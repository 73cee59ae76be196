// Lesson 4's runs: the seed's stall, two message delays per command, failover with a no-op, and dueling leaders.

import { describe, expect, it } from "vitest";
import { messageDelaysUntil, type MultiPaxosNode } from "@course/paxos";
import { checkScenario, noteSeq } from "../03-paxos-failures/scenario-checks.js";
import { lesson04 } from "./index.js";

const scenario = (id: string) => lesson04.scenarios.find((s) => s.id === id) as (typeof lesson04.scenarios)[number];
const log = (run: ReturnType<typeof checkScenario>, id: number) => run.sim.node<MultiPaxosNode>(id)?.inspect().log;

describe("lesson 4: the seed's stalled sequence", () => {
  for (const seed of [1, 7]) {
    it(`fails to establish node 2 with 2 of 3 promises, then another leader commits x=1 (seed ${seed})`, () => {
      const run = checkScenario(scenario("leader-stall"), seed);
      expect(run.sim.violation).toBeUndefined();
      const stalled = noteSeq(run, /got 2 \(from 0, 4\), need 3/);
      expect(run.sim.trace.some((e) => e.seq < stalled && e.kind === "send" && e.msg.type === "accept")).toBe(false);
      expect(log(run, 0)).toEqual(["x=1"]);
      expect(log(run, 4)).toEqual(["x=1"]);
    });
  }
});

describe("lesson 4: steady state", () => {
  it("commits each command in two message delays", () => {
    const run = checkScenario(scenario("steady-state"), 1);
    expect(run.sim.violation).toBeUndefined();
    const requests = run.sim.trace.filter((e) => e.kind === "client-request");
    expect(requests.length).toBe(4);
    for (const r of requests) {
      if (r.kind !== "client-request") continue;
      expect(messageDelaysUntil(run.sim.trace, (e) => e.kind === "client-reply" && e.requestId === r.request.id, r.seq)).toBe(2);
    }
    for (const id of [0, 1, 2, 3, 4]) expect(log(run, id)).toEqual(["x=1", "x=2", "x=3", "x=4"]);
  });
});

describe("lesson 4: leader failover", () => {
  for (const seed of [1, 7]) {
    it(`fills slot 2 with a no-op, keeps d in slot 3, catches node 0 up and collects old slots (seed ${seed})`, () => {
      const run = checkScenario(scenario("leader-failover"), seed);
      expect(run.sim.violation).toBeUndefined();
      for (const id of [0, 1, 2, 3, 4]) {
        expect(log(run, id)).toEqual(["a", "b", null, "d"]);
        expect(run.sim.node<MultiPaxosNode>(id)?.inspect().gcBelow).toBeGreaterThanOrEqual(4);
        expect(run.sim.node<MultiPaxosNode>(id)?.inspect().acceptor.accepted.has(2)).toBe(false);
      }
    });
  }
});

describe("lesson 4: dueling leaders", () => {
  it("elects one leader with the election fix", () => {
    const run = checkScenario(scenario("dueling-leaders"), 1);
    expect(run.sim.violation).toBeUndefined();
    expect([0, 1, 2, 3, 4].filter((id) => run.sim.node<MultiPaxosNode>(id)?.inspect().role === "leader").length).toBe(1);
  });
  it("never elects anyone without it", () => {
    const run = checkScenario(scenario("dueling-leaders"), 1, "no-election-fix");
    expect(run.sim.violation).toBeUndefined();
    expect([0, 1, 2, 3, 4].some((id) => run.sim.node<MultiPaxosNode>(id)?.inspect().role === "leader")).toBe(false);
    expect(run.sim.trace.filter((e) => e.kind === "send" && e.from === e.to && e.msg.type === "prepare").length).toBeGreaterThan(20);
  });
});
