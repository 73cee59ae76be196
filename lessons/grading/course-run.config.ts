// Vitest settings for the course's own test run (`npm test`, CI): every lessons test, graded suites bound to the reference.

import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    root: fileURLToPath(new URL("..", import.meta.url)),
    include: ["**/*.test.ts"],
    exclude: ["**/node_modules/**", ".grade-traces/**"],
    // Explicit on purpose: students' runs (lessons/vitest.config.ts, npm run grade, the editor) grade their own files.
    env: {
      COURSE_IMPL: "reference",
      // The proof already runs every fixed regression seed; this run adds a few fresh ones per simulation.
      COURSE_FRESH_SEEDS: "8",
    },
    testTimeout: 20_000,
  },
});
