// The Multi-Paxos replica on the simulator: phase 1 once, catch-up, garbage collection, client sessions, quorum sizes.

import { describe, expect, it } from "vitest";
import { Simulation } from "@course/sim";
import { createMultiPaxosNode, messageDelaysUntil, multiPaxosMutants, type MultiPaxosMessage, type MultiPaxosNode, type MultiPaxosRules } from "../src/index.js";
import { ops } from "./multi-commands.js";

const NODES = [0, 1, 2, 3, 4];
const cluster = (seed = 1) => new Simulation<MultiPaxosMessage>({ seed, nodes: NODES, createNode: createMultiPaxosNode({ initialLeader: 0 }) });
const view = (sim: Simulation<MultiPaxosMessage>, id: number) => sim.node<MultiPaxosNode>(id)?.inspect();

let seq = 0;
function commit(sim: Simulation<MultiPaxosMessage>, node: number, op: string): void {
  const id = sim.request(node, { op, seq: ++seq }, "alice");
  expect(sim.runUntil((s) => s.requests.some((r) => r.request.id === id && r.replyAt !== undefined), { timeout: 2000 })).toBe(true);
}

describe("Multi-Paxos replica", () => {
  it("runs phase 1 once; later commands cost phase 2 only", () => {
    const sim = cluster();
    sim.runFor(50);
    const prepares = () => sim.trace.filter((e) => e.kind === "send" && e.msg.type === "prepare").length;
    const afterElection = prepares();
    expect(afterElection).toBe(NODES.length);
    for (const c of ["a", "b", "c"]) {
      const from = sim.trace.length;
      commit(sim, 0, c);
      const reply = sim.trace.find((e) => e.seq >= from && e.kind === "client-reply");
      expect(messageDelaysUntil(sim.trace, (e) => e === reply, from)).toBe(2);
    }
    expect(prepares()).toBe(afterElection);
  });

  it("forwards a command sent to a follower to the leader", () => {
    const sim = cluster();
    sim.runFor(100);
    commit(sim, 3, "via-3");
    expect(ops(view(sim, 0)?.log)).toEqual(["via-3"]);
  });

  it("brings a replica that missed commands up to date", () => {
    const sim = cluster();
    sim.runFor(50);
    sim.apply({ type: "isolate", node: 4 });
    for (const c of ["a", "b", "c"]) commit(sim, 0, c);
    expect(view(sim, 4)?.log).toEqual([]);
    sim.apply({ type: "heal" });
    expect(sim.runUntil(() => view(sim, 4)?.log.length === 3, { timeout: 1000 })).toBe(true);
    expect(ops(view(sim, 4)?.log)).toEqual(["a", "b", "c"]);
    expect(view(sim, 4)?.executed).toEqual([0, 1, 2]);
  });

  it("garbage-collects per-slot state once every replica has applied it, and only then", () => {
    const sim = cluster();
    sim.runFor(50);
    sim.apply({ type: "crash", node: 2 });
    for (const c of ["a", "b"]) commit(sim, 0, c);
    sim.runFor(300);
    expect(view(sim, 0)?.gcBelow).toBe(0); // node 2 has not applied anything
    sim.apply({ type: "restart", node: 2 });
    expect(sim.runUntil(() => NODES.every((id) => (view(sim, id)?.gcBelow ?? 0) >= 2), { timeout: 1000 })).toBe(true);
    for (const id of NODES) {
      expect(view(sim, id)?.acceptor.accepted.size).toBe(0);
      expect(sim.storage(id).keys().filter((k) => k.startsWith("acc:"))).toEqual([]);
      expect(ops(view(sim, id)?.log)).toEqual(["a", "b"]);
    }
  });

  it("elects a new leader that keeps every committed command after the old one crashes", () => {
    const sim = cluster();
    sim.runFor(50);
    for (const c of ["a", "b"]) commit(sim, 0, c);
    sim.apply({ type: "crash", node: 0 });
    expect(sim.runUntil(() => NODES.some((id) => view(sim, id)?.role === "leader"), { timeout: 2000 })).toBe(true);
    const leader = NODES.find((id) => view(sim, id)?.role === "leader") as number;
    commit(sim, leader, "c");
    expect(ops(view(sim, leader)?.log)).toEqual(["a", "b", "c"]);
  });
});

describe("Multi-Paxos client sessions: each command executed once", () => {
  const answerOf = (sim: Simulation<MultiPaxosMessage>, id: number) => sim.requests.find((r) => r.request.id === id)?.result;

  it("answers a retry of an executed command from the session, with the first result and without a new slot", () => {
    const sim = cluster();
    sim.runFor(50);
    const first = sim.request(2, { op: "x=1", seq: 1 }, "bob");
    sim.runFor(100);
    const slots = view(sim, 0)?.log.length;
    const retry = sim.request(4, { op: "x=1", seq: 1 }, "bob");
    expect(answerOf(sim, retry)).toEqual(answerOf(sim, first));
    expect(answerOf(sim, first)).toEqual({ slot: 0, command: "x=1" });
    sim.runFor(100);
    expect(view(sim, 0)?.log.length).toBe(slots);
  });

  /**
   * Node 0's accept for 'b' reaches only acceptors 0 and 1. Node 2 (shortest timeout) takes over; its phase 1
   * finds 'b' in slot 1 and re-proposes it, while node 0, deposed, forwards 'b' to it as a command still waiting.
   */
  function deposedLeader(rules?: Partial<MultiPaxosRules>) {
    const sim = new Simulation<MultiPaxosMessage>({
      seed: 1,
      nodes: NODES,
      network: { latency: { kind: "fixed", ms: 5 } },
      createNode: (ctx) => createMultiPaxosNode({ initialLeader: 0, electionTimeout: ctx.id === 2 ? 60 : 150, ...(rules ? { rules } : {}) })(ctx),
    });
    sim.runFor(20);
    for (const to of [2, 3, 4]) sim.apply({ type: "cut", from: 0, to });
    const b = sim.request(0, { op: "b", seq: 1 }, "alice");
    expect(sim.runUntil(() => view(sim, 2)?.role === "leader", { timeout: 1000 })).toBe(true);
    sim.apply({ type: "heal" });
    sim.runFor(200);
    return { sim, b };
  }

  it("executes a command once when a deposed leader's copy and the new leader's re-proposal are both chosen", () => {
    const { sim, b } = deposedLeader();
    for (const id of NODES) {
      expect(view(sim, id)?.log).toEqual([{ client: "alice", seq: 1, op: "b" }, { client: "alice", seq: 1, op: "b" }]);
      expect(view(sim, id)?.executed).toEqual([0]);
      expect(view(sim, id)?.sessions.get("alice")).toEqual({ seq: 1, slot: 0 });
    }
    expect(answerOf(sim, b)).toEqual({ slot: 0, command: "b" });
  });

  it("executes it twice without sessions (the executeEveryCopy mutant): the bug this guards against", () => {
    const { sim } = deposedLeader(multiPaxosMutants.executeEveryCopy.rules);
    for (const id of NODES) expect(view(sim, id)?.executed).toEqual([0, 1]);
  });

  it("rebuilds its sessions after a restart by executing the durable log again, skipping the same copies", () => {
    const sim = cluster();
    sim.runFor(50);
    sim.request(0, { op: "a", seq: 1 }, "alice");
    sim.request(1, { op: "a", seq: 1 }, "alice"); // forwarded and proposed again before the first copy is chosen
    sim.runFor(100);
    const before = view(sim, 3);
    expect(ops(before?.log)).toEqual(["a", "a"]);
    expect(before?.executed).toEqual([0]);
    sim.apply({ type: "crash", node: 3 });
    sim.apply({ type: "restart", node: 3 });
    expect(view(sim, 3)?.executed).toEqual([0]);
    expect(view(sim, 3)?.sessions).toEqual(before?.sessions);
  });

  it("treats a bare string op as a command of its own: sent twice, it runs twice", () => {
    const sim = cluster();
    sim.runFor(50);
    sim.request(0, "x=1");
    sim.request(0, "x=1");
    sim.runFor(100);
    expect(ops(view(sim, 0)?.log)).toEqual(["x=1", "x=1"]);
    expect(view(sim, 0)?.executed).toEqual([0, 1]);
  });

  it("answers a malformed command with an error and proposes nothing", () => {
    const sim = cluster();
    sim.runFor(50);
    const zero = sim.request(0, { op: "x", seq: 0 }, "alice");
    const notText = sim.request(0, { op: 7, seq: 1 }, "alice");
    sim.runFor(100);
    expect(answerOf(sim, zero)).toEqual({ error: "a command's seq must be a whole number from 1, got 0" });
    expect(answerOf(sim, notText)).toEqual({ error: "a command's op must be a string, got 7" });
    expect(view(sim, 0)?.log).toEqual([]);
  });
});

describe("Multi-Paxos quorum sizes", () => {
  const sized = (phase1: number | undefined, phase2: number | undefined, nodes = NODES) =>
    new Simulation<MultiPaxosMessage>({
      seed: 1,
      nodes,
      createNode: createMultiPaxosNode({ initialLeader: 0, quorums: { ...(phase1 === undefined ? {} : { phase1 }), ...(phase2 === undefined ? {} : { phase2 }) } }),
    });

  it("defaults to majorities in both phases", () => {
    expect(sized(undefined, undefined).node<MultiPaxosNode>(0)?.inspect().quorums).toEqual({ phase1: 3, phase2: 3 });
    expect(sized(undefined, undefined, [0, 1, 2, 3]).node<MultiPaxosNode>(0)?.inspect().quorums).toEqual({ phase1: 3, phase2: 3 });
  });

  it("refuses sizes outside 1..cluster size with a clear error", () => {
    expect(() => sized(0, 3)).toThrow("quorums.phase1 must be a whole number from 1 to the cluster size (5), got 0");
    expect(() => sized(3, 6)).toThrow("quorums.phase2 must be a whole number from 1 to the cluster size (5), got 6");
    expect(() => sized(2.5, 3)).toThrow(/phase1/);
  });

  it("leads only with phase1 promises: 4 of 5 with one acceptor down is still a leader, with two down is not", () => {
    for (const [down, leads] of [[[4], true], [[3, 4], false]] as const) {
      const sim = sized(4, 2);
      for (const node of down) sim.apply({ type: "crash", node });
      sim.runFor(100);
      expect(sim.node<MultiPaxosNode>(0)?.inspect().role === "leader").toBe(leads);
    }
  });

  it("chooses with phase2 acceptances: with phase2 = 2, two live acceptors are enough", () => {
    const sim = sized(5, 2);
    sim.runFor(50);
    expect(view(sim, 0)?.role).toBe("leader");
    for (const node of [2, 3, 4]) sim.apply({ type: "crash", node });
    const id = sim.request(0, { op: "x", seq: 1 }, "alice");
    expect(sim.runUntil((s) => s.requests.some((r) => r.request.id === id && r.replyAt !== undefined), { timeout: 500 })).toBe(true);
    expect(ops(view(sim, 1)?.log)).toEqual(["x"]);
  });
});
