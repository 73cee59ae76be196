// Every registered lesson keeps the promises the terminal and the site rely on.

import { describe, expect, it } from "vitest";
import type { TraceEvent } from "@course/sim";
import { lessons } from "./registry.js";
import { discoverExercises } from "./grading/registry.js";

type Deliver = Extract<TraceEvent, { kind: "deliver" }>;

/** Events a node's handler emits; anything else (a scripted request, fault or note) starts something new. */
const HANDLER_EVENTS = new Set(["send", "persist", "timer-set", "timer-cancel", "client-reply", "state", "drop", "duplicate", "violation"]);

/** Arrivals of replies: messages their sender sent while handling a message from the node it answers. */
function replyArrivals(trace: readonly TraceEvent[]): Deliver[] {
  const replies = new Set<number>();
  let handling: Deliver | undefined;
  for (const e of trace) {
    if (e.kind === "deliver") handling = e;
    else if (e.kind === "note" ? e.node === undefined : !HANDLER_EVENTS.has(e.kind) || e.step !== handling?.step) handling = undefined;
    if (e.kind === "send" && handling !== undefined && handling.from === e.to && handling.to === e.from) replies.add(e.msgId);
  }
  return trace.filter((e): e is Deliver => e.kind === "deliver" && replies.has(e.msgId));
}

describe("the lesson registry", () => {
  it("numbers lessons 1 to N in order, each with scenarios", () => {
    expect(lessons.map((l) => l.number)).toEqual(lessons.map((_, i) => i + 1));
    for (const l of lessons) expect(l.scenarios.length, `lesson ${l.number}`).toBeGreaterThan(0);
  });

  it("gives every simulated lesson a graded exercise (lesson 12 runs real etcd instead)", async () => {
    const graded = new Set((await discoverExercises()).map((e) => e.lesson));
    expect(lessons.filter((l) => l.live === undefined).map((l) => l.number).filter((n) => !graded.has(n))).toEqual([]);
    expect(lessons.filter((l) => l.live === undefined).length).toBeGreaterThanOrEqual(11);
  });

  for (const lesson of lessons) {
    it(`lesson ${lesson.number}: scenario ids are unique, and every run has unique jump labels, no violation, and ends with its result`, () => {
      const ids = lesson.scenarios.map((s) => s.id);
      expect(new Set(ids).size).toBe(ids.length);
      for (const scenario of lesson.scenarios) {
        const run = scenario.run({ seed: scenario.defaultSeed });
        const where = `lesson ${lesson.number} scenario ${scenario.id}`;
        const labels = run.sim.trace.flatMap((e) => (e.kind === "note" && e.label !== undefined ? [e.label] : []));
        expect(labels.filter((l, i) => labels.indexOf(l) !== i), `${where}: repeated labels`).toEqual([]);
        expect(run.sim.violation, where).toBeUndefined();
        expect(run.result.length, where).toBeGreaterThan(0);
        // One narration rule everywhere: a reply (a promise, a vote, an acknowledgement) is told when it is sent,
        // never when it arrives.
        const toldOnArrival = replyArrivals(run.sim.trace).filter((e) => scenario.describe?.(e) !== undefined);
        expect(toldOnArrival.map((e) => `${e.msg.type} ${e.from}->${e.to}`), `${where}: replies told on arrival`).toEqual([]);
        // Seed reproductions and every other fault use real links: no node's link to itself is cut.
        expect(run.sim.trace.filter((e) => e.kind === "cut" && e.from === e.to), `${where}: self-link cuts`).toEqual([]);
      }
    });
  }
});
