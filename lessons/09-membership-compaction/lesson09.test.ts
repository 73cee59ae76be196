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
