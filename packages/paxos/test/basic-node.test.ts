// The Basic Paxos node on the simulator: persist before reply, durable promises and rounds, four message delays.

import { describe, expect, it } from "vitest";
import { Simulation, type TraceEvent } from "@course/sim";
import { createPaxosNode, messageDelaysUntil, type BasicPaxosNode, type PaxosMessage } from "../src/index.js";

const NODES = [0, 1, 2, 3, 4];
const cluster = (seed = 1) => new Simulation<PaxosMessage>({ seed, nodes: NODES, createNode: createPaxosNode() });
const view = (sim: Simulation<PaxosMessage>, id: number) => sim.node<BasicPaxosNode>(id)?.inspect();

describe("Basic Paxos node", () => {
  it("gets a value chosen and learned everywhere, four message delays after the request", () => {
    const sim = cluster();
    const id = sim.request(0, "x");
    sim.runFor(200);
    for (const n of NODES) expect(view(sim, n)?.learned).toBe("x");
    expect(sim.requests.find((r) => r.request.id === id)?.result).toEqual({ chosen: "x" });
    expect(messageDelaysUntil(sim.trace, (e) => e.kind === "state" && (e.view as { learned?: unknown }).learned != null)).toBe(4);
  });

  it("persists the acceptor state before its promise or accepted leaves", () => {
    const sim = cluster();
    sim.request(0, "x");
    sim.runFor(200);
    const replies = sim.trace.filter((e): e is Extract<TraceEvent, { kind: "send" }> => e.kind === "send" && (e.msg.type === "promise" || e.msg.type === "accepted"));
    expect(replies.length).toBe(NODES.length + NODES.length * NODES.length);
    for (const r of replies) {
      const persistedFirst = sim.trace.some((e) => e.kind === "persist" && e.node === r.from && e.key === "acceptor" && e.step === r.step && e.seq < r.seq);
      expect(persistedFirst, `${r.msg.type} from ${r.from} at step ${r.step}`).toBe(true);
    }
  });

  it("keeps its promise and accepted value across a restart, and forgets the volatile tally", () => {
    const sim = cluster();
    sim.request(0, "x");
    sim.runFor(200);
    const before = view(sim, 3)?.acceptor;
    sim.apply({ type: "restart", node: 3 });
    expect(view(sim, 3)?.acceptor).toEqual(before);
    expect(view(sim, 3)?.learned).toBe("x");
  });

  it("never reuses a proposal number after a restart", () => {
    const sim = new Simulation<PaxosMessage>({ seed: 1, nodes: NODES, createNode: createPaxosNode(), faults: [1, 2, 3].map((node) => ({ at: 0, action: { type: "crash", node } })) });
    sim.request(0, "x");
    sim.runFor(300); // rounds fail: only 0 and 4 are up
    const used = view(sim, 0)?.proposer.round ?? 0;
    expect(used).toBeGreaterThan(1);
    sim.apply({ type: "restart", node: 0 });
    sim.request(0, "y");
    sim.runFor(1);
    expect(view(sim, 0)?.proposer.ballot?.round).toBe(used + 1);
  });

  it("answers a client at once when the value is already known", () => {
    const sim = cluster();
    sim.request(1, "x");
    sim.runFor(200);
    const late = sim.request(4, "y");
    expect(sim.requests.find((r) => r.request.id === late)?.result).toEqual({ chosen: "x" });
  });

  it("with a distinguished proposer, only that node issues proposals, and one round suffices", () => {
    const sim = new Simulation<PaxosMessage>({ seed: 1, nodes: NODES, createNode: createPaxosNode({ distinguishedProposer: 1 }) });
    sim.request(1, "a");
    sim.request(3, "b");
    sim.runFor(300);
    const prepares = sim.trace.filter((e) => e.kind === "send" && e.msg.type === "prepare");
    expect(new Set(prepares.map((e) => (e.kind === "send" ? e.from : -1)))).toEqual(new Set([1]));
    expect(prepares.length).toBe(NODES.length);
    for (const n of NODES) expect(view(sim, n)?.learned).toBe("a");
    expect(sim.requests.map((r) => r.result)).toEqual([{ chosen: "a" }, { chosen: "a" }]);
  });

  it("with a distinguished proposer, another node's client value is forwarded to it and chosen", () => {
    const sim = new Simulation<PaxosMessage>({ seed: 1, nodes: NODES, createNode: createPaxosNode({ distinguishedProposer: 0 }) });
    sim.request(4, "y");
    sim.runFor(300);
    expect(sim.trace.some((e) => e.kind === "send" && e.msg.type === "forward" && e.from === 4 && e.to === 0)).toBe(true);
    for (const n of NODES) expect(view(sim, n)?.learned).toBe("y");
  });

  it("forwards again when the first forward is lost", () => {
    const sim = new Simulation<PaxosMessage>({ seed: 1, nodes: NODES, createNode: createPaxosNode({ distinguishedProposer: 0 }), faults: [{ at: 0, action: { type: "cut", from: 4, to: 0 } }, { at: 20, action: { type: "heal" } }] });
    sim.request(4, "y");
    sim.runFor(400);
    expect(sim.trace.filter((e) => e.kind === "send" && e.msg.type === "forward").length).toBeGreaterThan(1);
    expect(view(sim, 0)?.learned).toBe("y");
  });
});
