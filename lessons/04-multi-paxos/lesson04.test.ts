// Lesson 4's runs: the seed's stall, two message delays per command, failover with a no-op, a copy executed once, dueling leaders.

import { describe, expect, it } from "vitest";
import { MULTI_PAXOS_EXACTLY_ONCE } from "@course/check";
import { messageDelaysUntil, type MAccept, type MultiPaxosMessage, type MultiPaxosNode, type MPromise } from "@course/paxos";
import type { Simulation } from "@course/sim";
import { checkScenario, noteSeq, notes } from "../03-paxos-failures/scenario-checks.js";
import { sendsOfB } from "./deposed-leader.js";
import { lesson04 } from "./index.js";

const scenario = (id: string) => lesson04.scenarios.find((s) => s.id === id) as (typeof lesson04.scenarios)[number];
const inspect = (run: ReturnType<typeof checkScenario>, id: number) => run.sim.node<MultiPaxosNode>(id)?.inspect();
/** A replica's log as the lesson prints it: each command's op, null for a no-op. */
const log = (run: ReturnType<typeof checkScenario>, id: number) => inspect(run, id)?.log.map((c) => c?.op ?? null);

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
        expect(inspect(run, id)?.gcBelow).toBeGreaterThanOrEqual(4);
        expect(inspect(run, id)?.acceptor.accepted.has(2)).toBe(false);
      }
    });
  }
  it("would execute alice's retry of 'c', the command that never ran", () => {
    const run = checkScenario(scenario("leader-failover"), 1);
    noteSeq(run, /alice never got an answer and would retry; her command #3 never ran, so the replicas would execute the retry/);
    const sim = run.sim as unknown as Simulation<MultiPaxosMessage>;
    const leader = [1, 2, 3, 4].find((id) => inspect(run, id)?.role === "leader") as number;
    const retry = sim.request(leader, { op: "c", seq: 3 }, "alice");
    sim.runFor(100);
    expect(sim.requests.find((r) => r.request.id === retry)?.result).toEqual({ slot: 4, command: "c" });
    for (const id of [0, 1, 2, 3, 4]) expect(inspect(run, id)?.executed).toEqual([0, 1, 3, 4]);
  });
});

describe("lesson 4: a deposed leader's command", () => {
  for (const seed of [1, 7]) {
    it(`is chosen in slots 1 and 2 and executed once, in slot 1, on every replica; alice is answered with slot 1 (seed ${seed})`, () => {
      const run = checkScenario(scenario("deposed-leader"), seed);
      expect(run.sim.violation).toBeUndefined();
      const b = { client: "alice", seq: 2, op: "b" };
      for (const id of [0, 1, 2, 3, 4]) {
        expect(inspect(run, id)?.log.slice(1)).toEqual([b, b]);
        expect(inspect(run, id)?.executed).toEqual([0, 1]);
      }
      // "Node 2 proposed it in slot 1 because acceptor 1's promise reported it there..."
      const promise = run.sim.trace.find((e) => e.kind === "deliver" && e.from === 1 && e.to === 2 && e.msg.type === "promise");
      expect((promise?.kind === "deliver" ? (promise.msg as MPromise) : undefined)?.accepted).toContainEqual([1, expect.objectContaining({ v: b })]);
      expect(sendsOfB(run.sim.trace, 2, "accept").map((e) => (e.msg as MAccept).slot)).toEqual([1, 2]);
      // "...and again in a new slot when node 0, deposed, forwarded it": node 0 had stepped down and sent it before slot 2's accept.
      const forward = sendsOfB(run.sim.trace, 0, "forward")[0];
      const slot2 = sendsOfB(run.sim.trace, 2, "accept")[1];
      expect(forward?.seq).toBeLessThan(slot2?.seq ?? -1);
      expect(noteSeq(run, /Node 0 is no longer leader\. Its clients still wait for 'b' \(alice's #2\)/)).toBeLessThan(forward?.seq ?? -1);
      noteSeq(run, /Every replica executed it once, in slot 1, and skipped the copy/);
      const replies = run.sim.trace.filter((e) => e.kind === "client-reply" && e.client === "alice");
      expect(replies.map((e) => (e.kind === "client-reply" ? e.result : undefined))).toEqual([{ slot: 0, command: "a" }, { slot: 1, command: "b" }]);
      expect(notes(run).some((n) => n.text === "alice gets one answer, slot 1: the result of the first execution.")).toBe(true);
      // The page: "the log grid shows b in two slots, the second marked (dup)" (the grid draws each replica's view).
      for (const id of [0, 1, 2, 3, 4]) {
        const last = run.sim.trace.filter((e) => e.kind === "state" && e.node === id).at(-1);
        expect(last?.kind === "state" ? (last.view as { log: unknown }).log : undefined).toEqual(["a", "b", "b (dup)"]);
      }
    });
  }
  it("without sessions executes the copy again, and the exactly-once checker stops the run", () => {
    const run = checkScenario(scenario("deposed-leader"), 1, "no-sessions");
    expect(run.sim.violation?.checker).toBe(MULTI_PAXOS_EXACTLY_ONCE);
    expect(run.sim.violation?.message).toMatch(/executed 'b' \(alice's #2\) twice: in slot 1 and again in slot 2/);
  });
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
