// Lesson 5's scenarios tell the story their text promises, on their default seeds.

import { describe, expect, it } from "vitest";
import type { TraceEvent } from "@course/sim";
import { lesson05 } from "./index.js";

const scenario = (id: string) => lesson05.scenarios.find((s) => s.id === id) ?? (() => { throw new Error(id); })();
const roles = (trace: readonly TraceEvent[], role: string) => trace.filter((e) => e.kind === "state" && (e.view as { role: string }).role === role);

describe("lesson 5: leader election", () => {
  it("clean election: exactly one leader, nobody else ever campaigns, result line from the run", () => {
    const s = scenario("clean-election");
    const run = s.run({ seed: s.defaultSeed });
    run.sim.assertNoViolation();
    const leaders = new Set(roles(run.sim.trace, "leader").map((e) => (e.kind === "state" ? e.node : -1)));
    expect(leaders.size).toBe(1);
    expect(new Set(roles(run.sim.trace, "candidate").map((e) => (e.kind === "state" ? e.node : -1)))).toEqual(leaders);
    expect(run.result).toContain(`node ${[...leaders][0]} leads term 1`);
    expect(run.sim.trace.at(-1)).toMatchObject({ kind: "note", style: "result", text: run.result });
    // Narration speaks about the vote requests and the win.
    const lines = run.sim.trace.map((e) => s.describe?.(e)).filter((l): l is string => l !== undefined);
    expect(lines.some((l) => l.includes("asks the others for votes"))).toBe(true);
    expect(lines.some((l) => l.includes("it is the leader of term 1"))).toBe(true);
  });

  it("split vote: term 1 ends two-two, and a later term has one winner", () => {
    const s = scenario("split-vote");
    const run = s.run({ seed: s.defaultSeed });
    run.sim.assertNoViolation();
    expect(run.result).toContain("node 0: 2 votes, node 1: 2 votes");
    const leaderTerms = roles(run.sim.trace, "leader").map((e) => (e.kind === "state" ? (e.view as { term: number }).term : 0));
    expect(Math.min(...leaderTerms)).toBeGreaterThanOrEqual(2);
  });

  it("step-down: the old leader becomes a follower of a higher term and loses its uncommitted write", () => {
    const s = scenario("step-down");
    const run = s.run({ seed: s.defaultSeed });
    run.sim.assertNoViolation();
    expect(run.result).toMatch(/stepped down to follower in term \d+/);
    expect(run.result).toContain("uncommitted write is gone");
  });

  it("prevote: with PreVote the term does not move; without it the returning node forces an election", () => {
    const s = scenario("prevote");
    const withPv = s.run({ seed: s.defaultSeed });
    withPv.sim.assertNoViolation();
    expect(withPv.result).toContain("no election was needed");
    const without = s.run({ seed: s.defaultSeed, variant: "without-prevote" });
    without.sim.assertNoViolation();
    expect(without.result).toContain("forced a new election");
  });

  it("is deterministic: the same seed gives the same trace", () => {
    const s = scenario("clean-election");
    const a = s.run({ seed: 5 }).sim.trace;
    const b = s.run({ seed: 5 }).sim.trace;
    expect(JSON.stringify(b)).toBe(JSON.stringify(a));
  });
});
