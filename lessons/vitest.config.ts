// Vitest settings a student and an editor get: the graded suites, run on the student's own files, with the score after each run.

import { relative, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";
import { ScoreReporter } from "./grading/reporter.js";

const LESSONS = fileURLToPath(new URL(".", import.meta.url));

/**
 * Started inside a lesson's folder: that lesson's suites only, as vitest does for a folder of its own. (npx and
 * npm run move to the package folder first and keep the folder the command was typed in as INIT_CWD.)
 */
function graded(cwd: string): string[] {
  const lesson = relative(LESSONS, cwd).split(sep)[0] ?? "";
  return /^\d+-/.test(lesson) ? [`${lesson}/exercise/*.test.ts`] : ["*/exercise/*.test.ts"];
}

// Nothing here binds the reference: COURSE_IMPL is unset, so the suites load the stub files in lessons/NN-*/exercise/.
// The course's own test run (`npm test`) uses grading/course-run.config.ts, which binds the reference on purpose.
export default defineConfig({
  test: {
    root: LESSONS,
    include: graded(process.env.INIT_CWD ?? process.cwd()),
    exclude: ["**/node_modules/**", ".grade-traces/**"],
    reporters: ["default", new ScoreReporter({ brief: true })],
    // Each simulation test sets its own, longer timeout; a unit case that hangs is stopped by the harness's guard.
    testTimeout: 20_000,
  },
});
