// Vitest settings: generous timeouts, because CI shares two cores between every workspace's tests.

import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 120_000,
  },
});
