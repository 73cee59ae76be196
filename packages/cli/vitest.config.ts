// Vitest settings: generous timeouts, because CI shares two cores between every workspace's tests.

import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 60_000,
    // GitHub's workflow parser imports its schema as JSON without an import attribute, which Node refuses: let vite load it.
    server: { deps: { inline: ["@actions/workflow-parser"] } },
  },
});
