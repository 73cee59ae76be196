// CI check that the graders judge unseen solutions right: every correct solution of the corpus scores 100%, every buggy one loses points.

import { describe, expect, it } from "vitest";
import type { CorpusResult } from "./corpus.js";
import { runJsonScript } from "./script-json.js";

describe("the solutions corpus, graded like a student's file", () => {
  it(
    "gives every correct solution full points and catches every buggy one on the fixed seeds every grading run uses",
    () => {
      const { result, log } = runJsonScript<CorpusResult>(new URL("./corpus.ts", import.meta.url), "the corpus was not judged right");
      expect(result.verdicts.filter((v) => v.solution.expectation.correct).length, log).toBeGreaterThanOrEqual(20);
      expect(result.verdicts.filter((v) => !v.solution.expectation.correct).length, log).toBeGreaterThanOrEqual(60);
      for (const v of result.verdicts) {
        const what = `${v.solution.file} (${v.solution.expectation.correct ? "correct" : "buggy"}: ${v.solution.expectation.why})`;
        expect(v.problem, what).toBeUndefined();
        if (v.solution.expectation.correct) expect(v.score?.points, what).toBe(v.score?.total);
        else expect(v.score?.failedTests.length, what).toBeGreaterThan(0);
      }
      expect(result.ok).toBe(true);
    },
    10 * 60_000,
  );
});
