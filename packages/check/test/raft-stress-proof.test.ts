// Proof that the Raft stress search means something: on CI's own profiles and seeds it catches every known buggy
// variant of the rules (the reference passes them all in raft-random.test.ts).

import { describe, expect, it } from "vitest";
import { buggyRules } from "@course/raft";
import { RAFT_STRESS_PROFILES, STRESS_TEST_FILE, runStress, stressFailure, stressSeeds } from "../src/index.js";

/**
 * The profiles' seeds taken round-robin (first seed of each profile, then the second...), so that a bug only one
 * kind of schedule exposes is reached as soon as a bug every schedule exposes. Stops at the first run that fails.
 */
function firstFailure(rules: (typeof buggyRules)[keyof typeof buggyRules]): string | undefined {
  const seeds = RAFT_STRESS_PROFILES.map(stressSeeds);
  const longest = Math.max(...seeds.map((s) => s.length));
  for (let k = 0; k < longest; k++) {
    for (const [p, profile] of RAFT_STRESS_PROFILES.entries()) {
      const seed = seeds[p]?.[k];
      if (seed === undefined) continue;
      const failure = stressFailure(profile, runStress(profile, seed, { raft: { rules } }));
      if (failure !== undefined) return failure;
    }
  }
  return undefined;
}

describe("the Raft stress search catches every known buggy variant", () => {
  for (const [name, rules] of Object.entries(buggyRules)) {
    it(`catches ${name}`, () => {
      const caught = firstFailure(rules);
      expect(caught, `no schedule of the stress search failed with the ${name} rules`).toBeDefined();
      // The report a failing run prints: its seed and the command that replays it.
      expect(caught).toMatch(new RegExp(`^seed (\\d+) \\[.*\\n  replay: SEED=\\1 npx vitest run ${STRESS_TEST_FILE} -t "`, "s"));
    }, 120_000);
  }
});
