// Schedulers: the seeded random one is the default; another scheduler drives the same nodes through choices.

import { describe, expect, it } from "vitest";
import { RandomScheduler, Simulation, serializeTrace, toTraceFile, type Choice, type PendingView, type Scheduler, type Transmission } from "../src/index.js";
import { Chatter, chatterFactory, type Note } from "./probe-node.js";

const nodes = [0, 1, 2];

/** Follows a fixed list of choices (each made from the pending events by a function), then stops. */
class PlanScheduler implements Scheduler {
  private k = 0;
  resets = 0;
  constructor(private readonly plan: ReadonlyArray<(pending: PendingView) => Choice | undefined>) {}
  reset(): void {
    this.k = 0;
    this.resets++;
  }
  next(pending: PendingView): Choice | undefined {
    const pick = this.plan[this.k++];
    return pick?.(pending);
  }
  transmit(t: Transmission) {
    return t.blocked ? { deliverAt: t.now + 1, lost: "partition" as const } : { deliverAt: t.now + 1 };
  }
  save(): unknown {
    return this.k;
  }
  restore(state: unknown): void {
    this.k = state as number;
  }
}

const latest = (p: PendingView): Choice | undefined => {
  const all = p.all();
  const e = all[all.length - 1];
  return e && { kind: "run", event: e.id };
};
const firstMessage = (kind: "run" | "drop" | "duplicate") => (p: PendingView): Choice | undefined => {
  const e = p.all().find((x) => x.kind === "deliver");
  return e && { kind, event: e.id };
};
const firstTimer = (p: PendingView): Choice | undefined => {
  const e = p.all().find((x) => x.kind === "timer");
  return e && { kind: "run", event: e.id, at: e.time };
};

describe("schedulers", () => {
  it("the default is the seeded random scheduler", () => {
    const run = (scheduler?: Scheduler) => {
      const sim = new Simulation<Note>({ seed: 3, nodes, createNode: chatterFactory, network: { drop: 0.2, duplicate: 0.2 }, ...(scheduler ? { scheduler } : {}) });
      sim.runUntilTime(500);
      return serializeTrace(toTraceFile(sim, "chatter"));
    };
    expect(run(new RandomScheduler())).toBe(run());
  });

  it("another scheduler drives the same nodes: any pending event next, drops, duplicates, faults and requests", () => {
    const plan = [firstTimer, firstTimer, latest, firstMessage("duplicate"), firstMessage("run"), firstMessage("drop"), () => ({ kind: "fault", action: { type: "crash", node: 2 } }) as Choice, () => ({ kind: "request", node: 0, op: "count?" }) as Choice, firstMessage("run")];
    const sim = new Simulation<Note>({ seed: 1, nodes, createNode: chatterFactory, scheduler: new PlanScheduler(plan) });
    let steps = 0;
    while (sim.step()) steps++;
    expect(steps).toBe(plan.length);
    const kinds = sim.trace.map((e) => e.kind);
    for (const k of ["timer", "send", "duplicate", "deliver", "drop", "crash", "client-request", "client-reply"]) expect(kinds).toContain(k);
    const drop = sim.trace.find((e) => e.kind === "drop");
    expect(drop?.kind === "drop" && drop.reason).toBe("loss");
    // Each planned choice is one step of the trace.
    expect(Math.max(...sim.trace.map((e) => e.step))).toBe(plan.length);
    expect(sim.status(2)).toBe("crashed");
  });

  it("lists pending events without reset or cancelled timers, and refuses choices about events that are not pending", () => {
    const sim = new Simulation<Note>({ seed: 1, nodes, createNode: chatterFactory, scheduler: new PlanScheduler([firstTimer, () => ({ kind: "run", event: 999 })]) });
    const timers = sim.pendingEvents().filter((e) => e.kind === "timer");
    expect(timers.map((e) => (e.kind === "timer" ? e.node : -1)).sort()).toEqual(nodes);
    sim.step(); // a tick fires and is set again: still one timer per node
    expect(sim.pendingEvents().filter((e) => e.kind === "timer")).toHaveLength(3);
    expect(() => sim.step()).toThrow(/no pending event with id 999/);
    const timer = sim.pendingEvents().find((e) => e.kind === "timer")!;
    const drop = new Simulation<Note>({ seed: 1, nodes, createNode: chatterFactory, scheduler: new PlanScheduler([() => ({ kind: "drop", event: timer.id })]) });
    expect(() => drop.step()).toThrow(/is a timer, not a message in flight/);
  });

  it("replays: the same choices give the same trace, and a rewind starts the scheduler again", () => {
    const plan = [firstTimer, latest, latest, firstMessage("duplicate"), latest, latest, latest, firstTimer, latest];
    const run = () => {
      const scheduler = new PlanScheduler(plan);
      const sim = new Simulation<Note>({ seed: 4, nodes, createNode: chatterFactory, scheduler });
      while (sim.step()) {
        // follow the plan
      }
      return { sim, scheduler };
    };
    const a = run();
    const b = run();
    const text = (s: Simulation<Note>) => serializeTrace(toTraceFile(s, "plan"));
    expect(text(a.sim)).toBe(text(b.sim));
    const full = JSON.stringify(a.sim.trace);
    a.sim.rewind(4);
    expect(a.scheduler.resets).toBe(2);
    while (a.sim.step()) {
      // the rest of the plan
    }
    expect(JSON.stringify(a.sim.trace)).toBe(full);
    expect(a.sim.node<Chatter>(0)?.count).toBe(b.sim.node<Chatter>(0)?.count);
  });

  it("freezes messages when asked, so a handler cannot change a message another branch will deliver", () => {
    const seen: unknown[] = [];
    const sim = new Simulation<Note>({
      seed: 1,
      nodes: [0, 1],
      freezeMessages: true,
      createNode: (ctx) => {
        if (ctx.id === 0) ctx.send(1, { type: "note", text: "hi" });
        return { onMessage: (_f, msg) => void seen.push(msg), onTimer: () => undefined };
      },
    });
    sim.step();
    expect(Object.isFrozen(seen[0])).toBe(true);
  });
});
