// Vitest settings for the lessons: graded suites run against the reference unless COURSE_IMPL says otherwise.

import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["**/*.test.ts"],
    exclude: ["**/node_modules/**", ".grade-traces/**"],
    // `npm test` proves the suites on the reference; `npm run grade` sets COURSE_IMPL=student before loading this file.
    env: {
      COURSE_IMPL: process.env.COURSE_IMPL ?? "reference",
    },
    // Each simulation test sets its own, longer timeout; a unit case that hangs is stopped by the harness's guard.
    testTimeout: 20_000,
  },
});
