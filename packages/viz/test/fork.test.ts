// Forks keep the invariant checkers running, reader actions do exactly what they say, and the fork report names what was left out.

import { describe, expect, it } from "vitest";
import { Simulation, type Hook, type Message, type NodeFactory, type TraceEvent } from "@course/sim";
import { describeReaderActions, droppedByFork, forkWith, replayTo, withReaderControls } from "../src/fork.js";
import { READER_CONTROL_CLIENT } from "../src/outcome.js";

/** Every node pings the next one every 10 ms and counts what it hears; an "election" timer fires at 500 ms. */
const pinger: NodeFactory<Message> = (ctx) => {
  let heard = 0;
  let timeouts = 0;
  ctx.setTimer("ping", 10);
  ctx.setTimer("election", 500);
  return {
    onTimer(name, c) {
      if (name === "election") {
        timeouts++;
        c.setTimer("election", 500);
        return;
      }
      c.send(((ctx.id + 1) % 3) as number, { type: "ping" });
      c.setTimer("ping", 10);
    },
    onMessage() {
      heard++;
    },
    onClientRequest(request, c) {
      c.reply(request.id, { ok: true });
    },
    view: () => ({ role: "follower", heard, timeouts }),
  };
};

/** A checker that says a run is broken as soon as node 1 is down: any fork that crashes it must be stopped by it. */
function noCrashOfNode1(): Hook {
  return (sim) => (sim.status(1) === "crashed" ? { checker: "node 1 stays up", message: "node 1 crashed" } : undefined);
}

function run(hooks: Hook[] = []): Simulation<Message> {
  const sim = new Simulation<Message>({ seed: 5, nodes: [0, 1, 2], createNode: pinger, network: { latency: { kind: "uniform", min: 2, max: 8 } }, hooks });
  sim.note("start", { label: "begin" });
  sim.runUntilTime(100);
  sim.note("later", { label: "middle" });
  sim.request(2, "x=1");
  sim.runUntilTime(300);
  return sim;
}

const sends = (trace: readonly TraceEvent[]) => trace.filter((e): e is Extract<TraceEvent, { kind: "send" }> => e.kind === "send" && e.from !== e.to);

describe("forkWith", () => {
  it("keeps the scenario's invariant checkers on the forked run", () => {
    const sim = run([noCrashOfNode1()]);
    expect(sim.violation).toBeUndefined();
    const { sim: fork } = forkWith(sim, [{ afterStep: 20, action: { type: "crash", node: 1 } }], 100);
    expect(fork.violation?.checker).toBe("node 1 stays up");
    expect(fork.trace.some((e) => e.kind === "violation")).toBe(true);
  });

  it("replays the run exactly up to the fork, then differs only by the action", () => {
    const sim = run();
    const f = forkWith(sim, [{ afterStep: 30, action: { type: "pause", node: 0 } }], 100);
    expect(JSON.stringify(f.sim.trace.slice(0, f.start))).toBe(JSON.stringify(sim.trace.filter((e) => e.step <= 30)));
    expect(f.sim.trace[f.start]?.kind).toBe("pause");
    expect(f.made.get(f.start)).toBe("You paused S0");
    expect(f.faults).toEqual([{ afterStep: 30, action: { type: "pause", node: 0 } }]);
  });

  it("drops exactly the chosen message, when the network would have handed it over", () => {
    const sim = run();
    const target = sends(sim.trace).find((e) => e.step > 40) as Extract<TraceEvent, { kind: "send" }>;
    const delivered = sim.trace.find((e) => e.kind === "deliver" && e.msgId === target.msgId) as TraceEvent;
    const f = forkWith(sim, [{ afterStep: target.step, action: { type: "drop", msgId: target.msgId } }], 100);
    expect(f.forkStep).toBe(delivered.step - 1);
    const lost = f.sim.trace.filter((e) => e.kind === "drop");
    expect(lost.map((e) => (e.kind === "drop" ? [e.msgId, e.reason] : []))).toEqual([[target.msgId, "partition"]]);
    expect(f.sim.trace.some((e) => e.kind === "deliver" && e.msgId === target.msgId)).toBe(false);
    // The cut lasts one step: the link works again right after.
    expect(f.sim.blockedLinks()).toEqual([]);
    expect(f.caveat).toBeUndefined();
  });

  it("duplicates exactly the chosen message where the network makes copies, and says the delays after it change", () => {
    const sim = run();
    const target = sends(sim.trace).find((e) => e.step > 40) as Extract<TraceEvent, { kind: "send" }>;
    const f = forkWith(sim, [{ afterStep: target.step + 3, action: { type: "duplicate", msgId: target.msgId } }], 100);
    expect(f.forkStep).toBe(target.step - 1);
    const copies = f.sim.trace.filter((e) => e.kind === "duplicate");
    expect(copies.map((e) => (e.kind === "duplicate" ? e.msgId : -1))).toEqual([target.msgId]);
    expect(f.sim.link(target.from, target.to).duplicate).toBe(0);
    expect(f.caveat).toMatch(/when the message is sent/);
  });

  it("fires a node's timer at once through the reader's controls, and sends the reader's own client request", () => {
    const sim = run();
    const f = forkWith(sim, [{ afterStep: 10, action: { type: "timeout", node: 2, timer: "election" } }], 50);
    const view = f.sim.trace.filter((e) => e.kind === "state" && e.node === 2).map((e) => (e.kind === "state" ? (e.view as { timeouts: number }).timeouts : 0));
    expect(Math.max(...view)).toBe(1); // fired once, at step 10, long before its own 500 ms
    expect(f.sim.requests.find((r) => r.request.client === READER_CONTROL_CLIENT)?.node).toBe(2);
    const g = forkWith(sim, [{ afterStep: 10, action: { type: "request", node: 0, op: "y=2" } }], 50);
    const mine = g.sim.requests.find((r) => r.request.client === "you");
    expect(mine?.request.op).toBe("y=2");
    expect(mine?.result).toEqual({ ok: true });
  });

  it("refuses to drop or copy a message together with other actions", () => {
    const sim = run();
    const target = sends(sim.trace)[3] as Extract<TraceEvent, { kind: "send" }>;
    expect(() => forkWith(sim, [{ afterStep: 5, action: { type: "drop", msgId: target.msgId } }, { afterStep: 5, action: { type: "crash", node: 0 } }], 10)).toThrow(/on its own/);
    expect(() => forkWith(sim, [{ afterStep: 5, action: { type: "drop", msgId: 99_999 } }], 10)).toThrow(/not in this run/);
  });
});

describe("replayTo and the reader's controls", () => {
  it("wraps a node factory once, and a wrapped node still answers ordinary client requests", () => {
    const once = withReaderControls(pinger);
    expect(withReaderControls(once)).toBe(once);
    const sim = run();
    const fresh = replayTo(sim, 25);
    expect(fresh.stepCount).toBe(25);
    fresh.request(1, "z=3");
    expect(fresh.requests.at(-1)?.result).toEqual({ ok: true });
  });
});

describe("what a fork says", () => {
  it("names the script's later requests, faults and labelled points, and the reader's undone changes", () => {
    const sim = run();
    const lines = droppedByFork(sim.actions, 2, [{ afterStep: 90, action: { type: "crash", node: 2 } }]);
    expect(lines[0]).toMatch(/^The scenario's script stops at step 2: its later 1 client request, 1 narration line \(the labelled points middle\) no longer happen\.$/);
    expect(lines[1]).toBe("Your earlier change after that point is undone: crashed S2.");
    expect(droppedByFork(sim.actions, 10_000, [])).toEqual([]);
  });

  it("says a link cut both ways once", () => {
    expect(describeReaderActions([{ type: "cut", from: 1, to: 2 }, { type: "cut", from: 2, to: 1 }])).toBe("You cut the link S1–S2 both ways");
    expect(describeReaderActions([{ type: "crash", node: 0 }])).toBe("You crashed S0");
  });
});
