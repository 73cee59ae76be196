// Lesson 9: membership changes one server at a time, snapshots, and InstallSnapshot for a lagging follower.

import { describe, expect, it } from "vitest";
import { lesson09 } from "./index.js";

const scenario = (id: string) => lesson09.scenarios.find((s) => s.id === id) ?? (() => { throw new Error(id); })();

describe("lesson 9: membership and compaction", () => {
  it("grows [0,1,2] to five, removes the leader, and a new leader carries on", () => {
    const run = scenario("membership").run({ seed: 4 });
    run.sim.assertNoViolation();
    expect(run.result).toMatch(/configuration \[0, 1, 2\] became \[[0-4, ]+\]; server (\d) removed itself and stepped down \(now follower\)/);
    expect(run.result).toContain("applied y=2: yes");
  });

  it("each new server first catches up as a learner, shown in the leader's view, and only then joins the configuration", () => {
    const s = scenario("membership");
    const run = s.run({ seed: 4 });
    const lines = run.sim.trace.map((e) => s.describe?.(e)).filter((l): l is string => l !== undefined);
    for (const id of [3, 4]) {
      const learning = lines.findIndex((l) => l.includes(`starts copying its log to S${id} as a non-voting learner`));
      const promoted = lines.findIndex((l) => l.includes(`S${id} has caught up`));
      const joined = lines.findIndex((l) => l.includes(`now uses the configuration [`) && l.includes(`, S${id}]`));
      expect(learning, `server ${id}`).toBeGreaterThanOrEqual(0);
      expect(promoted, `server ${id}`).toBeGreaterThan(learning);
      expect(joined, `server ${id}`).toBeGreaterThanOrEqual(promoted);
      const views = run.sim.trace.flatMap((e) => (e.kind === "state" ? [e.view as { learners: number[]; members: number[]; role: string }] : []));
      expect(views.some((v) => v.role === "leader" && v.learners.includes(id) && !v.members.includes(id)), `server ${id} listed as a learner`).toBe(true);
    }
  });

  it("snapshots replace the log prefix on every server", () => {
    const run = scenario("snapshot").run({ seed: 1 });
    run.sim.assertNoViolation();
    // Twelve writes after the leader's election no-op: 13 entries, 10 of them folded into each snapshot.
    expect(run.result).toContain("13 entries applied; each server's log now starts after index 10/10/10 and holds 3/3/3 entries");
  });

  it("a lagging follower receives InstallSnapshot and ends with the leader's data", () => {
    const run = scenario("install-snapshot").run({ seed: 1 });
    run.sim.assertNoViolation();
    expect(run.result).toMatch(/received [1-9]\d* InstallSnapshot message\(s\) up to index 10, applied up to 13 \(leader 13\); same data as the leader: yes/);
  });
});
