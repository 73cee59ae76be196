// Every registered lesson keeps the promises the terminal and the site rely on.

import { describe, expect, it } from "vitest";
import { lessons } from "./registry.js";

describe("the lesson registry", () => {
  it("numbers lessons 1 to N in order, each with scenarios", () => {
    expect(lessons.map((l) => l.number)).toEqual(lessons.map((_, i) => i + 1));
    for (const l of lessons) expect(l.scenarios.length, `lesson ${l.number}`).toBeGreaterThan(0);
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
      }
    });
  }
});
