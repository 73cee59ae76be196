// CI check that the graded suites mean something: runs the proof (reference 100%, stub 0, every mutant caught) in a child process.

import { describe, expect, it } from "vitest";
import type { ProofResult } from "./prove.js";
import { runJsonScript } from "./script-json.js";

describe("proof that the graded suites mean something", () => {
  it(
    "every suite passes on the reference with full points, scores nothing on the untouched stub, fails on every mutant, and its exhaustive test alone catches a known mistake",
    () => {
      const { result, log } = runJsonScript<ProofResult>(new URL("./prove.ts", import.meta.url), "the proof failed");
      expect(result.exercises.length, log).toBeGreaterThanOrEqual(1);
      for (const p of result.exercises) {
        expect(p.problems, `${p.key}:\n${log}`).toEqual([]);
        expect(p.reference?.points, p.key).toBe(p.reference?.total);
        expect(Object.keys(p.mutants).length, p.key).toBeGreaterThanOrEqual(3);
        for (const [name, s] of Object.entries(p.mutants)) expect(s.failedTests.length, `${p.key} mutant ${name}`).toBeGreaterThan(0);
        // Every suite's exhaustive test catches at least one known mistake by itself.
        expect(p.reference?.searchTests, p.key).toBeGreaterThan(0);
        expect(Object.keys(p.searchCaught).length, p.key).toBeGreaterThan(0);
        for (const [name, caught] of Object.entries(p.searchCaught)) expect(caught, `${p.key} mutant ${name}: the exhaustive test alone`).toBe(true);
      }
      expect(result.ok).toBe(true);
    },
    6 * 60_000,
  );
});
