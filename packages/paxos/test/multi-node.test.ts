// The Multi-Paxos replica on the simulator: phase 1 once, catch-up of a lagging replica, garbage collection.

import { describe, expect, it } from "vitest";
import { Simulation } from "@course/sim";
import { createMultiPaxosNode, messageDelaysUntil, type MultiPaxosMessage, type MultiPaxosNode } from "../src/index.js";

const NODES = [0, 1, 2, 3, 4];
const cluster = (seed = 1) => new Simulation<MultiPaxosMessage>({ seed, nodes: NODES, createNode: createMultiPaxosNode({ initialLeader: 0 }) });
const view = (sim: Simulation<MultiPaxosMessage>, id: number) => sim.node<MultiPaxosNode>(id)?.inspect();

function commit(sim: Simulation<MultiPaxosMessage>, node: number, command: string): void {
  const id = sim.request(node, command);
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
    expect(view(sim, 0)?.log).toEqual(["via-3"]);
  });

  it("brings a replica that missed commands up to date", () => {
    const sim = cluster();
    sim.runFor(50);
    sim.apply({ type: "isolate", node: 4 });
    for (const c of ["a", "b", "c"]) commit(sim, 0, c);
    expect(view(sim, 4)?.log).toEqual([]);
    sim.apply({ type: "heal" });
    expect(sim.runUntil(() => view(sim, 4)?.log.length === 3, { timeout: 1000 })).toBe(true);
    expect(view(sim, 4)?.log).toEqual(["a", "b", "c"]);
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
      expect(view(sim, id)?.log).toEqual(["a", "b"]);
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
    expect(view(sim, leader)?.log).toEqual(["a", "b", "c"]);
  });
});
