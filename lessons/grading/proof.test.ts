// CI check that the graded suites mean something: runs the proof (reference 100%, stub 0, every mutant caught) in a child process.

import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import type { ProofResult } from "./prove.js";

describe("proof that the graded suites mean something", () => {
  it(
    "every suite passes on the reference with full points, scores nothing on the untouched stub, and fails on every mutant",
    () => {
      const out = join(mkdtempSync(join(tmpdir(), "course-proof-")), "proof.json");
      const script = fileURLToPath(new URL("./prove.ts", import.meta.url));
      let log = "";
      try {
        log = execFileSync(process.execPath, ["--import", "tsx", script, "--json", out], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
      } catch (e) {
        const err = e as { stdout?: string; stderr?: string };
        throw new Error(`the proof failed:\n${err.stdout ?? ""}\n${err.stderr ?? ""}`);
      }
      const result = JSON.parse(readFileSync(out, "utf8")) as ProofResult;
      expect(result.exercises.length, log).toBeGreaterThanOrEqual(1);
      for (const p of result.exercises) {
        expect(p.problems, `${p.key}:\n${log}`).toEqual([]);
        expect(p.reference?.points, p.key).toBe(p.reference?.total);
        expect(Object.keys(p.mutants).length, p.key).toBeGreaterThanOrEqual(3);
        for (const [name, s] of Object.entries(p.mutants)) expect(s.failedTests.length, `${p.key} mutant ${name}`).toBeGreaterThan(0);
      }
      expect(result.ok).toBe(true);
    },
    6 * 60_000,
  );
});
