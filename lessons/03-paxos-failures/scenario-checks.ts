// Checks every lesson scenario must pass: deterministic per seed, narrated, labeled, ending in its result line.

import { expect } from "vitest";
import type { TraceEvent } from "@course/sim";
import type { Lesson, Scenario, ScenarioRun } from "../lesson.js";

export function notes(run: ScenarioRun): Extract<TraceEvent, { kind: "note" }>[] {
  return run.sim.trace.filter((e): e is Extract<TraceEvent, { kind: "note" }> => e.kind === "note");
}

/** Runs the scenario twice with one seed and checks what every scenario owes its reader. */
export function checkScenario(scenario: Scenario, seed: number, variant?: string): ScenarioRun {
  const options = variant === undefined ? { seed } : { seed, variant };
  const run = scenario.run(options);
  const again = scenario.run(options);
  expect(JSON.stringify(again.sim.trace), "same seed, same trace").toBe(JSON.stringify(run.sim.trace));
  const all = notes(run);
  expect(all.some((n) => n.style === "heading" && n.label !== undefined), "a labeled heading").toBe(true);
  const last = all[all.length - 1];
  expect(last?.style).toBe("result");
  expect(last?.text).toBe(run.result);
  const described = run.sim.trace.map((e) => scenario.describe?.(e)).filter((d) => d !== undefined);
  expect(described.length, "describe narrates the run").toBeGreaterThan(3);
  return run;
}

/** Seq of the first note whose text matches. */
export function noteSeq(run: ScenarioRun, pattern: RegExp): number {
  const n = notes(run).find((e) => pattern.test(e.text));
  expect(n, `a note matching ${pattern}`).toBeDefined();
  return n?.seq ?? -1;
}

/** A lesson's scenario by id; a test that names one that does not exist fails at once. */
export function scenarioById(lesson: Lesson, id: string): Scenario {
  const s = lesson.scenarios.find((x) => x.id === id);
  if (!s) throw new Error(`lesson ${lesson.number} has no scenario ${id}`);
  return s;
}
