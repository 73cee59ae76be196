// Lesson 8's scenarios are safe with Raft's rules, and each "break it" variant is flagged by the checker.

import { describe, expect, it } from "vitest";
import { lesson08 } from "./index.js";

const scenario = (id: string) => lesson08.scenarios.find((s) => s.id === id) ?? (() => { throw new Error(id); })();

describe("lesson 8: safety", () => {
  it.each([
    ["stale-candidate", "vote-without-up-to-date-check", "Leader Completeness"],
    ["figure-8", "naive-commit", "Leader Completeness"],
    ["persistence", "forget-voted-for", "Election Safety"],
  ])("%s: no violation with Raft's rules; the %s variant is flagged as %s", (id, variant, checker) => {
    const s = scenario(id);
    const good = s.run({ seed: s.defaultSeed });
    expect(good.sim.violation).toBeUndefined();
    expect(good.result).toContain("no invariant broken");
    expect(Object.keys(s.variants ?? {})).toContain(variant);
    const bad = s.run({ seed: s.defaultSeed, variant });
    expect(bad.sim.violation?.checker).toBe(checker);
    expect(bad.result).toContain(checker);
    expect(bad.sim.trace.some((e) => e.kind === "violation")).toBe(true);
  });

  it("figure 8 narrates phases (a) to (e) with the correct rule", () => {
    const run = scenario("figure-8").run({ seed: 8 });
    const labels = run.sim.trace.flatMap((e) => (e.kind === "note" && e.label?.startsWith("figure-8") ? [e.label] : []));
    expect(labels).toEqual(["figure-8a", "figure-8b", "figure-8c", "figure-8d", "figure-8e"]);
    expect(run.result).toContain("commit index after (c) was 1");
  });
});
