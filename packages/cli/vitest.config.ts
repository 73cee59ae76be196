// Vitest settings: generous timeouts, because CI shares two cores between every workspace's tests.

import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 60_000,
    // The tests read what the commands print as plain text. picocolors turns colour on by itself when CI is set or on
    // Windows, so it is turned off here rather than left to the machine.
    env: { NO_COLOR: "1" },
    // GitHub's workflow parser imports its schema as JSON without an import attribute, which Node refuses: let vite load it.
    server: { deps: { inline: ["@actions/workflow-parser"] } },
  },
});
