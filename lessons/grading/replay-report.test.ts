// A replay (`npm run grade N -- --test NAME`) reports the tests the name picked, and the tests it left out count for nothing.

import { describe, expect, it } from "vitest";
import { formatReplay } from "./replay-report.js";
import type { ExerciseScore, GradedTest, GradeReport } from "./score.js";

const test = (name: string, state: "passed" | "failed" | "skipped"): GradedTest => ({
  name,
  points: 2,
  passed: state === "passed",
  skipped: state === "skipped",
  kind: "simulation",
  durationMs: 1,
  schedules: 1,
  virtualMs: 1000,
  ...(state === "passed" ? {} : { error: state === "failed" ? "seed 7: the run broke\n  replay: npm run grade 8 -- --seed 7" : "did not run (skipped)" }),
});

function report(tests: GradedTest[]): GradeReport {
  const exercise: ExerciseScore = { lesson: 8, id: "safety", title: "Raft safety", file: "x.test.ts", tests, passed: tests.filter((t) => t.passed).length, points: 0, total: 2 * tests.length, loadErrors: [] };
  return { impl: "student", lessons: [8], exercises: [exercise], points: 0, total: exercise.total, testsPassed: exercise.passed, tests: tests.length, schedules: 1, virtualMs: 1000, wallMs: 10, timedOut: false, unhandledErrors: [], allPassed: false };
}

describe("formatReplay", () => {
  it("passes when every picked test passed, whatever the skipped ones", () => {
    const r = formatReplay(report([test("a", "skipped"), test("crashes", "passed"), test("b", "skipped")]), "crashes");
    expect(r.passed).toBe(true);
    expect(r.lines.join("\n")).toContain("✓ lesson 8 (safety) · crashes");
    expect(r.lines.join("\n")).not.toMatch(/did not run|points/);
  });

  it("fails with the picked test's error when it failed", () => {
    const r = formatReplay(report([test("a", "skipped"), test("crashes", "failed")]), "crashes");
    expect(r.passed).toBe(false);
    expect(r.lines.join("\n")).toContain("✗ lesson 8 (safety) · crashes\n    seed 7: the run broke");
  });

  it("fails and says so when the name picked nothing", () => {
    const r = formatReplay(report([test("a", "skipped")]), "nothing");
    expect(r.passed).toBe(false);
    expect(r.lines[0]).toContain('has a name containing "nothing"');
  });
});
