// The snapshot model must agree with the simulator: replaying a trace prefix gives what the live run showed.

import { describe, expect, it } from "vitest";
import { Simulation, type Message, type NodeFactory, type TraceEvent } from "@course/sim";
import { downPeriods, labelledNotes, networkFaultPeriods, snapshotAt, SnapshotCursor, stepAtTime } from "../src/model.js";
import { leaderSegments } from "../src/timeline.js";
import { replayTo } from "../src/fork.js";
import { decodeFaults, encodeFaults, readUrlState, writeUrlState } from "../src/url-state.js";
import { commitIndex, indexMap, logCells, paxosAcceptor, role, short, term } from "../src/views.js";

/** A toy leader: node 1 leads term 1 and appends one entry per tick; views carry log and commit index. */
const toyLeader: NodeFactory<Message> = (ctx) => {
  const log: Array<{ index: number; term: number; command: string }> = [];
  let commit = 0;
  if (ctx.id === 1) ctx.setTimer("tick", 10);
  ctx.setTimer("election", 100 + ctx.id);
  return {
    onTimer(name, c) {
      if (name !== "tick") return;
      log.push({ index: log.length + 1, term: 1, command: `x=${log.length}` });
      c.broadcast({ type: "append" });
      c.setTimer("tick", 10);
    },
    onMessage(_from, msg, c) {
      if (msg.type === "append") c.send(1, { type: "ack" });
      else commit = log.length;
    },
    view: () => ({ role: ctx.id === 1 ? "leader" : "follower", term: 1, log: [...log], commitIndex: commit, ...(ctx.id === 1 ? { nextIndex: { 2: log.length + 1 }, matchIndex: { 2: commit } } : {}) }),
  };
};

function run(): Simulation<Message> {
  const sim = new Simulation<Message>({
    seed: 7,
    nodes: [1, 2, 3],
    createNode: toyLeader,
    faults: [
      { at: 25, action: { type: "crash", node: 3 } },
      { at: 40, action: { type: "cut", from: 1, to: 2 } },
      { at: 55, action: { type: "heal" } },
      { at: 60, action: { type: "restart", node: 3 } },
    ],
  });
  sim.note("start", { label: "step-1", style: "heading" });
  sim.runUntilTime(80);
  return sim;
}

describe("snapshotAt", () => {
  it("matches the live simulation's node status and cut links at every step", () => {
    const sim = run();
    const trace = [...sim.trace];
    const last = trace[trace.length - 1] as TraceEvent;
    for (let k = 0; k <= last.step; k += 3) {
      sim.rewind(k);
      const snap = snapshotAt(trace, k, sim.nodeIds);
      for (const id of sim.nodeIds) expect(snap.nodes.get(id)?.status, `node ${id} at step ${k}`).toBe(sim.status(id));
      const blocked = sim.blockedLinks().map(([a, b]) => `${a}>${b}`).sort();
      expect([...snap.blocked].sort(), `links at step ${k}`).toEqual(blocked);
      expect(snap.time).toBeLessThanOrEqual(sim.now);
    }
  });

  it("keeps messages in flight until they are delivered or dropped", () => {
    const sim = run();
    const trace = sim.trace;
    const sendIdx = trace.findIndex((e) => e.kind === "send" && e.from !== e.to);
    const send = trace[sendIdx] as Extract<TraceEvent, { kind: "send" }>;
    expect(snapshotAt(trace, send.step).inFlight.has(send.msgId)).toBe(true);
    const end = trace.find((e) => (e.kind === "deliver" || e.kind === "drop") && e.msgId === send.msgId) as TraceEvent;
    expect(snapshotAt(trace, end.step).inFlight.has(send.msgId)).toBe(false);
  });

  it("gives the cursor the same answer as a fresh replay, forwards and backwards", () => {
    const sim = run();
    const cursor = new SnapshotCursor(sim.trace, sim.nodeIds);
    for (const k of [5, 9, 30, 12, 40]) {
      const a = cursor.at(k);
      const b = snapshotAt(sim.trace, k, sim.nodeIds);
      expect([...a.inFlight.keys()]).toEqual([...b.inFlight.keys()]);
      expect([...a.nodes.values()].map((n) => [n.status, JSON.stringify(n.view)])).toEqual([...b.nodes.values()].map((n) => [n.status, JSON.stringify(n.view)]));
    }
  });
});

describe("periods and markers", () => {
  it("finds the crash, the cut, the leader and the labelled note", () => {
    const trace = run().trace;
    expect(downPeriods(trace)).toEqual([{ node: 3, kind: "crashed", from: 25, to: 60 }]);
    expect(networkFaultPeriods(trace, [1, 2, 3])).toEqual([{ from: 40, to: 55, links: 1 }]);
    const leaders = leaderSegments(trace);
    expect(leaders.map((l) => [l.node, l.term])).toEqual([[1, 1]]);
    expect(labelledNotes(trace).map((n) => n.label)).toEqual(["step-1"]);
    expect(stepAtTime(trace, 45)).toBeGreaterThan(stepAtTime(trace, 20));
  });
});

describe("views", () => {
  it("reads Raft-like views", () => {
    const v = { role: "leader", term: 3, log: [{ index: 1, term: 1, command: "x=1" }, { index: 2, term: 3, command: "x=2" }], commitIndex: 1, nextIndex: { 2: 3 }, matchIndex: [[2, 2]] };
    expect(role(v)).toBe("leader");
    expect(term(v)).toBe(3);
    expect(commitIndex(v)).toBe(1);
    expect(logCells(v)?.map((c) => [c.index, c.term, c.label])).toEqual([[1, 1, "x=1"], [2, 3, "x=2"]]);
    expect(indexMap(v, "nextIndex").get(2)).toBe(3);
    expect(indexMap(v, "matchIndex").get(2)).toBe(2);
  });

  it("numbers entries after a snapshot and tolerates missing fields", () => {
    expect(logCells({ snapshotIndex: 5, log: [{ term: 2 }] })?.[0]?.index).toBe(6);
    expect(logCells({ role: "follower" })).toBeUndefined();
    expect(role(undefined)).toBeUndefined();
    expect(paxosAcceptor({ foo: 1 })).toBeUndefined();
  });

  it("reads Paxos acceptor views", () => {
    const a = paxosAcceptor({ promised: "2.1", accepted: { n: "1.0", v: "x=42" }, learned: null });
    expect(a).toEqual({ promised: "2.1", acceptedN: "1.0", acceptedV: "x=42", chosen: null });
    expect(short({ round: 2, node: 1 })).toBe("2.1");
  });
});

describe("url state", () => {
  it("round-trips the reader's faults and keeps other parameters", () => {
    const faults = [
      { afterStep: 12, action: { type: "crash" as const, node: 3 } },
      { afterStep: 40, action: { type: "cut" as const, from: 1, to: 2 } },
      { afterStep: 41, action: { type: "heal" as const } },
    ];
    expect(decodeFaults(encodeFaults(faults))).toEqual(faults);
    const search = writeUrlState("?protocol=raft", { scenario: "s", seed: 9, step: 4, faults });
    expect(new URLSearchParams(search).get("protocol")).toBe("raft");
    expect(readUrlState(search)).toEqual({ scenario: "s", seed: 9, step: 4, faults });
  });

  it("skips malformed faults instead of failing", () => {
    expect(decodeFaults("x~crash~1,3~crash~oops,5~restart~2")).toEqual([{ afterStep: 5, action: { type: "restart", node: 2 } }]);
  });
});

describe("replayTo", () => {
  it("rebuilds the run up to a step, scenario actions included, without the run's hooks", () => {
    let calls = 0;
    const sim = run();
    sim.addHook(() => {
      calls++;
      return undefined;
    });
    sim.runFor(20);
    const trace = sim.trace;
    const last = (trace[trace.length - 1] as TraceEvent).step;
    const before = calls;
    for (const k of [0, 7, Math.floor(last / 2), last]) {
      const fork = replayTo(sim, k);
      expect(fork.stepCount).toBe(k);
      expect(JSON.stringify(fork.trace.filter((e) => e.step <= k))).toBe(JSON.stringify(trace.filter((e) => e.step <= k)));
    }
    expect(calls).toBe(before);
  });

  it("forks: an action after the replay changes what follows", () => {
    const sim = run();
    const fork = replayTo(sim, 5);
    fork.apply({ type: "crash", node: 1 });
    fork.runUntilTime(80);
    expect(fork.trace.some((e) => e.kind === "crash" && e.node === 1)).toBe(true);
    expect(sim.trace.some((e) => e.kind === "crash" && e.node === 1)).toBe(false);
  });
});
