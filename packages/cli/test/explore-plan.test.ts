// Which searches npm run explore runs for a variant: graded searches first for a grading mutant, one search as asked otherwise.

import { describe, expect, it } from "vitest";
import { findBug } from "../src/explore-variants.js";
import { runPlanned, searchPlan } from "../src/explore-plan.js";

describe("explore's search plan", () => {
  it("runs a grading mutant's graded searches, with its label and rules, before the default bound", async () => {
    const bug = await findBug("raft", "8/safety/commit-on-leader-alone");
    const plan = searchPlan("raft", bug, {});
    // Exercise 8's exhaustive test runs two searches (a new leader with one write; seven servers).
    expect(plan.map((s) => s.source)).toEqual(["graded", "graded", "bound"]);
    expect(plan[0]?.start?.length).toBeGreaterThan(0);
    expect(plan[0]?.options).toMatchObject({ rulesLabel: "8/safety/commit-on-leader-alone", crashes: 1, depth: 4 });
    expect(plan[1]?.options).toMatchObject({ rulesLabel: "8/safety/commit-on-leader-alone", nodes: 7 });
    // The default bound keeps the exercise's own bound (one crash for exercise 8) and searches from the initial state.
    expect(plan[2]).toMatchObject({ label: "the default bound, from the initial state", options: { crashes: 1 } });
    expect(plan[2]?.options.from).toBeUndefined();
  });

  it("runs only the search asked for with a bound flag, --from-start, --from or --shard, and for an explorer variant", async () => {
    const bug = await findBug("raft", "8/safety/commit-on-leader-alone");
    for (const [flags, from] of [[{ depth: 5 }, undefined], [{}, []], [{ shard: { index: 1, count: 2 } }, undefined]] as const) {
      const plan = searchPlan("raft", bug, flags, from);
      expect(plan).toHaveLength(1);
      expect(plan[0]?.source).toBe("bound");
    }
    expect(searchPlan("raft", await findBug("raft", "vote-for-everyone"), {})).toHaveLength(1);
  });

  it("reports a scripted start the planted bug cannot play instead of searching", async () => {
    const [graded] = searchPlan("raft", await findBug("raft", "8/safety/commit-on-leader-alone"), {});
    const outcome = runPlanned({ ...(graded as NonNullable<typeof graded>), start: [{ deliver: [0, 1, "NoSuchMessage"] }] });
    expect(outcome.result).toBeUndefined();
    expect(outcome.startFailed).toMatch(/no such message in flight/);
  });
});
