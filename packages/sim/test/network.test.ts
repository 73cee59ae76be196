// Each network behaviour has a test that would fail if it were broken.

import { describe, expect, it } from "vitest";
import { Simulation, type FaultAction, type LinkConfig, type ScheduledFault } from "../src/index.js";
import { probeFactory, type Probe } from "./probe-node.js";

const NODES = [0, 1, 2, 3, 4];

function cluster(options: { network?: Partial<LinkConfig>; faults?: ScheduledFault[]; seed?: number } = {}) {
  return new Simulation({ seed: options.seed ?? 1, nodes: NODES, createNode: probeFactory, network: options.network ?? {}, faults: options.faults ?? [] });
}

function send(sim: Simulation, from: number, to: number, text: string) {
  sim.request(from, { do: "send", to, text });
}

function receivedBy(sim: Simulation, node: number) {
  return (sim.node<Probe>(node)?.received ?? []).map((r) => r.text);
}

describe("links", () => {
  it("delivers within the configured latency bounds", () => {
    const sim = cluster({ network: { latency: { kind: "uniform", min: 20, max: 30 } } });
    for (let i = 0; i < 50; i++) send(sim, 0, 1, `m${i}`);
    sim.runFor(1000);
    const at = sim.node<Probe>(1)!.received.map((r) => r.at);
    expect(at).toHaveLength(50);
    for (const t of at) {
      expect(t).toBeGreaterThanOrEqual(20);
      expect(t).toBeLessThan(30);
    }
  });

  it("reorders messages when latency is random", () => {
    const sim = cluster({ network: { latency: { kind: "uniform", min: 1, max: 100 } } });
    const sent = Array.from({ length: 30 }, (_, i) => `m${i}`);
    for (const t of sent) send(sim, 0, 1, t);
    sim.runFor(1000);
    const got = receivedBy(sim, 1);
    expect([...got].sort()).toEqual([...sent].sort());
    expect(got).not.toEqual(sent);
  });

  it("keeps order with a fixed latency", () => {
    const sim = cluster({ network: { latency: { kind: "fixed", ms: 5 } } });
    const sent = Array.from({ length: 30 }, (_, i) => `m${i}`);
    for (const t of sent) send(sim, 0, 1, t);
    sim.runFor(100);
    expect(receivedBy(sim, 1)).toEqual(sent);
  });

  it("never delivers a dropped message", () => {
    const sim = cluster({ network: { drop: 0.5 } });
    for (let i = 0; i < 200; i++) send(sim, 0, 1, `m${i}`);
    sim.runFor(1000);
    const dropped = new Set(sim.trace.filter((e) => e.kind === "drop").map((e) => (e.kind === "drop" ? e.msgId : -1)));
    const delivered = sim.trace.filter((e) => e.kind === "deliver").map((e) => (e.kind === "deliver" ? e.msgId : -1));
    expect(dropped.size).toBeGreaterThan(50);
    expect(dropped.size).toBeLessThan(150);
    for (const id of delivered) expect(dropped.has(id)).toBe(false);
    expect(delivered.length + dropped.size).toBe(200);
    expect(receivedBy(sim, 1)).toHaveLength(delivered.length);
  });

  it("delivers a duplicated message twice", () => {
    const sim = cluster({ network: { duplicate: 1 } });
    send(sim, 0, 1, "twice");
    sim.runFor(100);
    expect(receivedBy(sim, 1)).toEqual(["twice", "twice"]);
    expect(sim.trace.filter((e) => e.kind === "duplicate")).toHaveLength(1);
    expect(sim.counters.byType.get("note")).toMatchObject({ sent: 1, delivered: 2, duplicated: 1 });
  });

  it("changes one link during a run without touching the others", () => {
    const sim = cluster();
    sim.apply({ type: "link", from: 0, to: 1, config: { drop: 1 } });
    for (let i = 0; i < 10; i++) {
      send(sim, 0, 1, "lost");
      send(sim, 0, 2, "kept");
      send(sim, 1, 0, "back");
    }
    sim.runFor(100);
    expect(receivedBy(sim, 1)).toEqual([]);
    expect(receivedBy(sim, 2)).toHaveLength(10);
    expect(receivedBy(sim, 0)).toHaveLength(10);
  });
});

describe("partitions and cuts", () => {
  it("a partitioned pair exchanges nothing until healed, then talks again", () => {
    const sim = cluster({ faults: [{ at: 0, action: { type: "partition", groups: [[0, 1], [2, 3, 4]] } }, { at: 500, action: { type: "heal" } }] });
    sim.runUntilTime(0);
    send(sim, 0, 2, "across");
    send(sim, 3, 1, "across back");
    send(sim, 0, 1, "same side");
    send(sim, 2, 4, "other side");
    sim.runUntilTime(499);
    expect(receivedBy(sim, 2)).toEqual([]);
    expect(receivedBy(sim, 1)).toEqual(["same side"]);
    expect(receivedBy(sim, 4)).toEqual(["other side"]);
    sim.runUntilTime(500);
    send(sim, 0, 2, "after heal");
    sim.runFor(100);
    expect(receivedBy(sim, 2)).toEqual(["after heal"]);
  });

  it("drops messages already in flight when a partition starts", () => {
    const sim = cluster({ network: { latency: { kind: "fixed", ms: 50 } } });
    send(sim, 0, 1, "in flight");
    sim.runFor(10);
    sim.apply({ type: "partition", groups: [[0], [1]] });
    sim.runFor(100);
    expect(receivedBy(sim, 1)).toEqual([]);
    expect(sim.trace.some((e) => e.kind === "drop" && e.reason === "partition")).toBe(true);
  });

  it("a one-way cut blocks one direction only", () => {
    const sim = cluster({ faults: [{ at: 0, action: { type: "cut", from: 0, to: 1 } }] });
    sim.runUntilTime(0);
    send(sim, 0, 1, "blocked");
    send(sim, 1, 0, "allowed");
    sim.runFor(100);
    expect(receivedBy(sim, 1)).toEqual([]);
    expect(receivedBy(sim, 0)).toEqual(["allowed"]);
  });

  it("isolating a node cuts it off both ways and healing one link restores just that link", () => {
    const sim = cluster();
    sim.apply({ type: "isolate", node: 2 });
    for (const n of [0, 1, 3, 4]) {
      send(sim, n, 2, `to2from${n}`);
      send(sim, 2, n, "from2");
    }
    send(sim, 0, 1, "bystanders");
    sim.runFor(100);
    expect(receivedBy(sim, 2)).toEqual([]);
    for (const n of [0, 3, 4]) expect(receivedBy(sim, n)).toEqual([]);
    expect(receivedBy(sim, 1)).toEqual(["bystanders"]);
    sim.apply({ type: "heal", from: 3, to: 2 });
    send(sim, 3, 2, "healed");
    send(sim, 2, 3, "still cut");
    sim.runFor(100);
    expect(receivedBy(sim, 2)).toEqual(["healed"]);
    expect(receivedBy(sim, 3)).toEqual([]);
  });

  it("never partitions a node from itself, but an explicit self cut drops self-messages", () => {
    const sim = cluster();
    sim.apply({ type: "isolate", node: 0 });
    send(sim, 0, 0, "self");
    sim.runFor(10);
    expect(receivedBy(sim, 0)).toEqual(["self"]);
    sim.apply({ type: "cut", from: 0, to: 0 });
    send(sim, 0, 0, "lost self");
    sim.runFor(10);
    expect(receivedBy(sim, 0)).toEqual(["self"]);
  });
});

describe("node faults", () => {
  it("a crashed node loses volatile state and keeps durable state", () => {
    const sim = cluster();
    sim.request(1, { do: "persist", key: "value", value: { term: 3 } });
    sim.request(1, { do: "remember", value: "volatile" });
    send(sim, 0, 1, "before");
    sim.runFor(50);
    expect(sim.node<Probe>(1)!.memory).toEqual(["volatile"]);
    expect(receivedBy(sim, 1)).toEqual(["before"]);
    sim.apply({ type: "crash", node: 1 });
    expect(sim.node(1)).toBeUndefined();
    expect(sim.status(1)).toBe("crashed");
    send(sim, 0, 1, "while down");
    sim.runFor(50);
    sim.apply({ type: "restart", node: 1 });
    const probe = sim.node<Probe>(1)!;
    expect(probe.memory).toEqual([]);
    expect(probe.received).toEqual([]);
    expect(probe.durable).toEqual({ term: 3 });
    sim.runFor(50);
    expect(receivedBy(sim, 1)).toEqual([]); // the message sent while it was down is gone
    expect(sim.trace.some((e) => e.kind === "drop" && e.reason === "crashed")).toBe(true);
  });

  it("durable storage keeps a copy: changing an object after persisting it does not change storage", () => {
    const sim = new Simulation({
      seed: 1,
      nodes: [0],
      createNode: (ctx) => {
        const log = [1];
        ctx.persist("log", log);
        log.push(2); // a node that forgets to persist this loses it at a crash
        return { onMessage() {}, onTimer() {} };
      },
    });
    expect(sim.storage(0).get("log")).toEqual([1]);
  });

  it("timers of a crashed node never fire, and a restarted node starts with none", () => {
    const sim = cluster();
    sim.request(2, { do: "timer", name: "t", delay: 100 });
    sim.runFor(10);
    sim.apply({ type: "crash", node: 2 });
    sim.apply({ type: "restart", node: 2 });
    sim.runFor(200);
    expect(sim.node<Probe>(2)!.fired).toEqual([]);
  });

  it("setting a timer again replaces it, and cancelling stops it", () => {
    const sim = cluster();
    sim.request(0, { do: "timer", name: "a", delay: 100 });
    sim.request(0, { do: "timer", name: "b", delay: 100 });
    sim.runFor(50);
    sim.request(0, { do: "timer", name: "a", delay: 100 });
    sim.request(0, { do: "cancel", name: "b" });
    sim.runUntilTime(140);
    expect(sim.node<Probe>(0)!.fired).toEqual([]);
    sim.runUntilTime(151);
    expect(sim.node<Probe>(0)!.fired).toEqual(["a"]);
  });

  it("a paused node handles nothing until resumed, then gets what arrived meanwhile in order", () => {
    const sim = cluster({ network: { latency: { kind: "fixed", ms: 5 } } });
    sim.request(3, { do: "timer", name: "t", delay: 20 });
    sim.apply({ type: "pause", node: 3 });
    send(sim, 0, 3, "first");
    send(sim, 0, 3, "second");
    sim.runFor(100);
    expect(receivedBy(sim, 3)).toEqual([]);
    expect(sim.node<Probe>(3)!.fired).toEqual([]);
    sim.apply({ type: "resume", node: 3 });
    sim.runFor(1);
    expect(receivedBy(sim, 3)).toEqual(["first", "second"]);
    expect(sim.node<Probe>(3)!.fired).toEqual(["t"]);
  });

  it("restarting a live node reboots it", () => {
    const sim = cluster();
    sim.request(4, { do: "remember", value: "x" });
    sim.apply({ type: "restart", node: 4 });
    expect(sim.node<Probe>(4)!.memory).toEqual([]);
    expect(sim.trace.map((e) => e.kind)).toContain("restart");
  });

  it("runs a scripted fault schedule at the given times", () => {
    const faults: ScheduledFault[] = [
      { at: 1200, action: { type: "crash", node: 2 } },
      { at: 3000, action: { type: "restart", node: 2 } },
    ];
    const sim = cluster({ faults });
    sim.runUntilTime(1199);
    expect(sim.isUp(2)).toBe(true);
    sim.runUntilTime(1200);
    expect(sim.isUp(2)).toBe(false);
    sim.runUntilTime(3000);
    expect(sim.isUp(2)).toBe(true);
    expect(sim.trace.filter((e) => e.kind === "crash" || e.kind === "restart").map((e) => [e.kind, e.time])).toEqual([
      ["crash", 1200],
      ["restart", 3000],
    ]);
  });
});

describe("client requests", () => {
  it("records each request with its reply time and result", () => {
    const sim = new Simulation({
      seed: 1,
      nodes: [0, 1],
      createNode: probeFactory,
      requests: [{ at: 100, node: 1, op: { do: "remember", value: "v" }, client: "alice" }],
    });
    sim.runFor(200);
    expect(sim.requests).toHaveLength(1);
    expect(sim.requests[0]).toMatchObject({ node: 1, invokedAt: 100, replyAt: 100, result: "ok", request: { client: "alice" } });
    expect(sim.trace.filter((e) => e.kind === "client-reply")).toHaveLength(1);
  });

  it("a request to a crashed node gets no reply", () => {
    const sim = cluster();
    sim.apply({ type: "crash", node: 0 });
    sim.request(0, { do: "remember", value: "v" });
    sim.runFor(100);
    expect(sim.requests[0]?.replyAt).toBeUndefined();
  });
});

describe("persist before send", () => {
  it("a handler's storage writes come before its messages in the trace", () => {
    const sim = new Simulation({
      seed: 3,
      nodes: [0, 1],
      createNode: (ctx) => {
        if (ctx.id === 0) ctx.setTimer("go", 1);
        return {
          onTimer(_n, c) {
            c.send(1, { type: "vote" }); // written first in code...
            c.persist("votedFor", 1); // ...but the write is durable before the message leaves
          },
          onMessage() {},
        };
      },
    });
    sim.runFor(10);
    const kinds = sim.trace.filter((e) => e.kind === "persist" || e.kind === "send").map((e) => e.kind);
    expect(kinds).toEqual(["persist", "send"]);
  });
});

const allFaultKinds: FaultAction["type"][] = ["crash", "restart", "pause", "resume", "partition", "cut", "isolate", "heal", "link"];
it("traces every kind of fault", () => {
  const sim = cluster();
  sim.apply({ type: "crash", node: 0 });
  sim.apply({ type: "restart", node: 0 });
  sim.apply({ type: "pause", node: 1 });
  sim.apply({ type: "resume", node: 1 });
  sim.apply({ type: "partition", groups: [[0], [1]] });
  sim.apply({ type: "cut", from: 2, to: 3 });
  sim.apply({ type: "isolate", node: 4 });
  sim.apply({ type: "heal" });
  sim.apply({ type: "link", config: { drop: 0.1 } });
  const kinds = new Set(sim.trace.map((e) => e.kind));
  for (const k of allFaultKinds) expect(kinds.has(k)).toBe(true);
});

it("records a request to a paused node at the time the client sent it", () => {
  const sim = new Simulation({ seed: 1, nodes: [0, 1], createNode: probeFactory });
  sim.runUntilTime(10);
  sim.apply({ type: "pause", node: 1 });
  sim.request(1, { do: "remember", value: "v" });
  sim.runUntilTime(50);
  expect(sim.requests[0]).toMatchObject({ invokedAt: 10 });
  expect(sim.requests[0]?.replyAt).toBeUndefined();
  sim.apply({ type: "resume", node: 1 });
  sim.runFor(1);
  expect(sim.requests).toHaveLength(1);
  expect(sim.requests[0]).toMatchObject({ invokedAt: 10, replyAt: 50 });
});

it("a crash of a paused node drops what was held for it, and says so in the trace", () => {
  const sim = new Simulation({ seed: 1, nodes: [0, 1], createNode: probeFactory, network: { latency: { kind: "fixed", ms: 1 } } });
  sim.apply({ type: "pause", node: 1 });
  sim.request(0, { do: "send", to: 1, text: "held" });
  sim.runFor(10);
  sim.apply({ type: "crash", node: 1 });
  const sent = sim.trace.find((e) => e.kind === "send");
  const dropped = sim.trace.filter((e) => e.kind === "drop");
  expect(dropped).toHaveLength(1);
  expect(dropped[0]).toMatchObject({ reason: "crashed", msgId: sent?.kind === "send" ? sent.msgId : -1 });
  expect(sim.trace.findIndex((e) => e.kind === "crash")).toBeLessThan(sim.trace.findIndex((e) => e.kind === "drop"));
});
