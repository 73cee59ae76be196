// Vitest settings for the proof run: one project per implementation assignment, all in a single vitest run.

import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

/** One project of the proof: which suites run, with which COURSE_IMPL_MAP and flags. */
export interface ProofProject {
  readonly name: string;
  readonly include: readonly string[];
  readonly env: Readonly<Record<string, string>>;
}

const plan = JSON.parse(process.env.COURSE_PROOF_PLAN ?? "[]") as ProofProject[];

export default defineConfig({
  test: {
    projects: plan.map((p) => ({
      test: {
        name: p.name,
        root: fileURLToPath(new URL("..", import.meta.url)),
        include: [...p.include],
        env: { ...p.env },
        testTimeout: 20_000,
      },
    })),
  },
});
