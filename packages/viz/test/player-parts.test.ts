// The player's parts that hold no DOM: checkpointed seeks, the trace index, playback pace, narration, outcome, words and links.

import { describe, expect, it } from "vitest";
import { Simulation, type Message, type NodeFactory, type TraceEvent } from "@course/sim";
import { CHECKPOINT_EVERY, snapshotAt, SnapshotCursor } from "../src/model.js";
import { Narration } from "../src/narration.js";
import { outcomeText } from "../src/outcome.js";
import { HOP_SECONDS, MAX_QUIET_SECONDS, Pace } from "../src/pace.js";
import { contrast, roleColor, textOn } from "../src/palette.js";
import { TraceIndex } from "../src/trace-index.js";
import { decodeFaults, encodeFaults } from "../src/url-state.js";
import { messageFields, stateFields } from "../src/words.js";

/** Nodes gossip a counter; node 0 says it leads term 2 and commits what it counts. */
const gossip: NodeFactory<Message> = (ctx) => {
  let n = 0;
  ctx.setTimer("tick", 7);
  return {
    onTimer(_name, c) {
      n++;
      c.broadcast({ type: "count", n } as Message);
      c.setTimer("tick", ctx.id === 0 ? 7 : 40);
    },
    onMessage(_from, msg) {
      n = Math.max(n, (msg as unknown as { n: number }).n);
    },
    view: () => ({ role: ctx.id === 0 ? "leader" : "follower", term: 2, log: Array.from({ length: Math.min(n, 3) }, (_, i) => ({ index: i + 1, term: 2, command: `x=${i}` })), commitIndex: Math.min(n, 3) }),
  };
};

function run(): Simulation<Message> {
  const sim = new Simulation<Message>({ seed: 11, nodes: [0, 1, 2], createNode: gossip, faults: [{ at: 300, action: { type: "crash", node: 2 } }] });
  sim.runUntilTime(900);
  return sim;
}

describe("SnapshotCursor", () => {
  it("gives a fresh replay's answer at any step, forwards, backwards and across saved copies", () => {
    const sim = run();
    const trace = sim.trace;
    expect(trace.length).toBeGreaterThan(3 * CHECKPOINT_EVERY);
    const cursor = new SnapshotCursor(trace, sim.nodeIds);
    const last = (trace[trace.length - 1] as TraceEvent).step;
    for (const k of [last, 3, Math.floor(last / 2), last - 1, 0, Math.floor(last / 3), last]) {
      const a = cursor.at(k);
      const b = snapshotAt(trace, k, sim.nodeIds);
      expect(a.applied, `step ${k}`).toBe(b.applied);
      expect([...a.inFlight.keys()]).toEqual([...b.inFlight.keys()]);
      expect([...a.nodes.values()].map((n) => [n.status, JSON.stringify(n.view), [...n.timers.keys()]])).toEqual([...b.nodes.values()].map((n) => [n.status, JSON.stringify(n.view), [...n.timers.keys()]]));
    }
  });
});

describe("TraceIndex and Pace", () => {
  it("knows every network message's fate at every step", () => {
    const trace = run().trace;
    const index = new TraceIndex(trace);
    const sends = trace.filter((e) => e.kind === "send" && e.from !== e.to);
    expect(index.messages).toHaveLength(sends.length);
    for (const m of index.messages.slice(0, 50)) {
      expect(index.fateAt(m, m.sendStep - 1)).toBe("unsent");
      expect(index.fateAt(m, m.sendStep)).toBe(m.endStep === m.sendStep ? m.fate : "in-flight");
      if (m.endStep !== undefined) expect(index.fateAt(m, m.endStep)).toBe(m.fate);
    }
    expect(index.downSpans.map((s) => [s.node, s.kind, s.from])).toEqual([[2, "crashed", 300]]);
  });

  it("plays a typical hop in about half a second and never spends more than the cap on a quiet stretch", () => {
    const index = new TraceIndex(run().trace);
    const pace = new Pace(index);
    const hop = index.typicalLatency();
    const busy = index.messages.find((m) => m.endAt !== undefined && (m.endAt as number) - m.sentAt === hop) ?? index.messages[0];
    if (!busy) throw new Error("no message");
    expect(pace.playAt(busy.sentAt + hop) - pace.playAt(busy.sentAt)).toBeLessThanOrEqual(HOP_SECONDS + 1e-9);
    let prev = -1;
    for (let t = 0; t <= index.endTime; t += 3) {
      const p = pace.playAt(t);
      expect(p).toBeGreaterThanOrEqual(prev);
      expect(Math.abs(pace.timeAt(p) - t)).toBeLessThan(1e-6);
      prev = p;
    }
    // A run with no message at all is one quiet stretch.
    const quiet = new Pace(new TraceIndex([{ seq: 0, step: 0, time: 0, kind: "note", text: "a" }, { seq: 1, step: 1, time: 10_000, kind: "note", text: "b" }]));
    expect(quiet.totalSeconds).toBeCloseTo(MAX_QUIET_SECONDS);
  });
});

describe("Narration", () => {
  it("calls the scenario's describe once per event, in order, however the reader jumps", () => {
    const trace = run().trace;
    const seen: number[] = [];
    const narration = new Narration(trace, (e) => {
      seen.push(e.seq);
      return e.kind === "crash" ? `down ${e.node}` : undefined;
    });
    const last = (trace[trace.length - 1] as TraceEvent).step;
    narration.latest(Math.floor(last / 2), 5);
    narration.latest(3, 5);
    expect(narration.latest(last, 5).map((l) => l.text)).toEqual(["down 2"]);
    expect(seen).toEqual(trace.filter((e) => e.kind !== "note").map((e) => e.seq));
  });

  it("puts the reader's own lines in place of the events their actions made", () => {
    const trace = run().trace;
    const crash = trace.findIndex((e) => e.kind === "crash");
    const narration = new Narration(trace, undefined, new Map([[crash, "You crashed S2"]]));
    const lines = narration.latest((trace[crash] as TraceEvent).step, 3);
    expect(lines.at(-1)).toMatchObject({ text: "You crashed S2", cls: "reader" });
  });
});

describe("outcome, words, colours, links", () => {
  it("says how a run ends in plain words: leader, commits, who is down", () => {
    const sim = run();
    const text = outcomeText(sim.trace, sim.nodeIds);
    expect(text).toMatch(/^S0 leads term 2\. Log entries up to index 3 are committed/);
    expect(text).toContain("S2 is down at the end.");
    expect(text).not.toMatch(/\w=(true|false)|\[|None/);
  });

  it("names every field of a message and of a server's state in words", () => {
    expect(messageFields({ type: "AppendEntries", term: 3, leaderId: 1, prevLogIndex: 4, prevLogTerm: 2, entries: [{ index: 5, term: 3, command: { kind: "client", client: "c1", op: { type: "put", key: "x", value: "1" } } }], leaderCommit: 4 } as Message)).toEqual([
      ["term", "3"],
      ["leader", "S1"],
      ["entries follow index", "4"],
      ["which has term", "2"],
      ["entries", "1: 5: x=1 (client c1) (term 3)"],
      ["leader's commit index", "4"],
    ]);
    const fields = Object.fromEntries(stateFields({ role: "candidate", term: 4, votedFor: 2, leaderId: null, commitIndex: 1, log: [], members: [0, 1, 2] }));
    expect(fields).toEqual({ role: "candidate", "current term": "4", "voted for (this term)": "S2", "believes the leader is": "none", "commit index": "1", "configuration it uses": "S0 S1 S2" });
  });

  it("keeps every role's name readable on its colour", () => {
    for (const r of ["leader", "candidate", "precandidate", "follower", "learner", "proposer", "acceptor", "coordinator", "participant", undefined]) {
      expect(contrast(textOn(roleColor(r)), roleColor(r)), String(r)).toBeGreaterThanOrEqual(4.5);
    }
  });

  it("round-trips every reader action through a link", () => {
    const faults = [
      { afterStep: 3, action: { type: "pause" as const, node: 1 } },
      { afterStep: 4, action: { type: "request" as const, node: 2, op: "x=1;a~b,c" } },
      { afterStep: 5, action: { type: "timeout" as const, node: 0, timer: "votes:t1" } },
      { afterStep: 6, action: { type: "drop" as const, msgId: 17 } },
      { afterStep: 7, action: { type: "duplicate" as const, msgId: 18 } },
    ];
    expect(decodeFaults(encodeFaults(faults))).toEqual(faults);
    expect(decodeFaults("1~drop~-3,2~request~1,3~timeout~x~y")).toEqual([]);
  });
});
