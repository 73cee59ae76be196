// Vitest settings for the lessons: graded suites run against the reference unless COURSE_IMPL says otherwise.

import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["**/*.test.ts"],
    exclude: ["**/node_modules/**", ".grade-traces/**"],
    // `npm test` proves the suites on the reference; `npm run grade` sets COURSE_IMPL=student before loading this file.
    env: {
      COURSE_IMPL: process.env.COURSE_IMPL ?? "reference",
      // The proof already runs every fixed regression seed; the normal test run adds a few fresh ones per
      // simulation. `npm run grade` always sets this (40 fresh seeds, or N with --seeds N).
      COURSE_FRESH_SEEDS: process.env.COURSE_FRESH_SEEDS ?? "8",
    },
    // Each simulation test sets its own, longer timeout; a unit case that hangs is stopped by the harness's guard.
    testTimeout: 20_000,
  },
});
