// Lesson 7 plays the seed's nine steps in order, each a labelled point in the trace.

import { describe, expect, it } from "vitest";
import type { TraceEvent } from "@course/sim";
import { lesson07 } from "./index.js";

const scenario = lesson07.scenarios[0] as (typeof lesson07.scenarios)[number];

describe("lesson 7: the worked example", () => {
  const run = scenario.run({ seed: scenario.defaultSeed });
  const trace = run.sim.trace;
  const at = (label: string) => trace.findIndex((e) => e.kind === "note" && e.label === label);

  it("has the nine labelled steps, in order", () => {
    const positions = Array.from({ length: 9 }, (_, k) => at(`step-${k + 1}`));
    expect(positions.every((p) => p >= 0)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
  });

  it("server 1 wins term 1 with the votes of 2, 3 and 4 while server 5 is down", () => {
    run.sim.assertNoViolation();
    const firstLeader = trace.find((e) => e.kind === "state" && (e.view as { role: string }).role === "leader") as Extract<TraceEvent, { kind: "state" }>;
    expect(firstLeader.node).toBe(1);
    expect((firstLeader.view as { term: number }).term).toBe(1);
    expect(run.result).toContain("server 1 led term 1 (votes from 2, 3, 4)");
    expect(trace.findIndex((e) => e.kind === "crash" && e.node === 5)).toBeLessThan(at("step-2"));
  });

  it("entry 1 commits at step 6, followers apply it at step 7, server 5 catches up at step 8", () => {
    const commitOf = (node: number, from: number) => trace.findIndex((e, i) => i > from && e.kind === "state" && e.node === node && (e.view as { commitIndex: number }).commitIndex >= 1);
    expect(commitOf(1, 0)).toBeGreaterThan(at("step-6"));
    expect(commitOf(1, 0)).toBeLessThan(at("step-7"));
    for (const f of [2, 3, 4]) expect(commitOf(f, at("step-7"))).toBeLessThan(at("step-8"));
    const five = commitOf(5, at("step-8"));
    expect(five).toBeGreaterThan(at("step-8"));
    expect(five).toBeLessThan(at("step-9"));
  });

  it("after the leader fails another server leads a later term and every log ends the same", () => {
    expect(run.result).toMatch(/server [2-5] leads term [2-9]/);
    expect(run.result).not.toContain("logs differ");
  });
});
