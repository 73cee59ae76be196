// Lesson 6 reproduces the seed's toy run exactly, then shows real Raft's consistency check and log repair.

import { describe, expect, it } from "vitest";
import type { TraceEvent } from "@course/sim";
import { lesson06 } from "./index.js";

const scenario = (id: string) => lesson06.scenarios.find((s) => s.id === id) ?? (() => { throw new Error(id); })();
const narration = (id: string, trace: readonly TraceEvent[]) => trace.map((e) => (e.kind === "note" ? e.text : scenario(id).describe?.(e))).filter((l): l is string => l !== undefined);

describe("lesson 6: log replication", () => {
  it("the seed's run, line for line: votes from 0 and 4, x=1 to 0 only, x=2 to 0 and 4, x=3 to 0 only", () => {
    const run = scenario("seed-demo").run({ seed: 1 });
    const lines = narration("seed-demo", run.sim.trace);
    const want = [
      "Alive nodes: [0, 2, 4]",
      "  Node 0: votes for candidate 2 (term 1)",
      "  Node 4: votes for candidate 2 (term 1)",
      "Node 2 is leader with 3/5 votes (term 1).",
      "  Follower 0: appended 'x=1' at log[0] (term 1)",
      "-> not committed 'x=1' (acks=2, need 3)",
      "  Follower 0: appended 'x=2' at log[1] (term 1)",
      "  Follower 4: appended 'x=2' at log[1] (term 1)",
      "-> committed 'x=2' with 3/5 acks",
      "  Follower 0: appended 'x=3' at log[2] (term 1)",
      "-> not committed 'x=3' (acks=2, need 3)",
    ];
    expect(lines.filter((l) => want.includes(l))).toEqual(want);
    expect(run.result).toBe("leader=2, chosen_sequence=[None, 'x=2', None], msgs=6");
  });

  it("real Raft: node 4 refuses x=2 without x=1, the leader backs up, and both commit together", () => {
    const run = scenario("real-raft").run({ seed: 1 });
    run.sim.assertNoViolation();
    const lines = narration("real-raft", run.sim.trace);
    const refusal = lines.findIndex((l) => l.startsWith("  S4 rejects"));
    // Index 1 is the leader's election no-op (§8), which node 4 stored before the cut.
    const resend = lines.findIndex((l) => l.startsWith("S2 sends S4 entries [2:x=1, 3:x=2]"));
    const commit = lines.findIndex((l) => l.startsWith("S2 now knows entries up to index 3 are committed [2:x=1, 3:x=2]"));
    expect(refusal).toBeGreaterThan(0);
    expect(resend).toBeGreaterThan(refusal);
    expect(commit).toBeGreaterThan(resend);
    expect(run.result).toContain("committed=['no-op', 'x=1', 'x=2'], not yet committed=['x=3']");
  });

  it("repair: the follower's term-1 entries are replaced after two refusals and every log ends identical", () => {
    const run = scenario("repair").run({ seed: 1 });
    run.sim.assertNoViolation();
    expect(run.result).toContain("after 2 refusal(s)");
    expect(run.result).toContain("all 5 logs identical: yes");
  });
});
