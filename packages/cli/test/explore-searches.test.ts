// The targeted searches of explore-searches.ts: the reference plays each start and exhausts each bound with no violation; each planted bug is found.

import { describe, expect, it } from "vitest";
import type { ProtocolName } from "@course/explore";
import { TARGETED_SEARCHES } from "../src/explore-searches.js";
import { findBug } from "../src/explore-variants.js";
import { runPlanned, searchPlan } from "../src/explore-plan.js";

const entries = Object.entries(TARGETED_SEARCHES).flatMap(([protocol, byName]) => Object.entries(byName).map(([name, searches]) => ({ protocol: protocol as ProtocolName, name, searches })));

describe("targeted searches", () => {
  // Searches with the same start and bound are one search for the reference: run each once.
  const distinct = new Map<string, (typeof entries)[number]["searches"][number] & { protocol: ProtocolName }>();
  for (const e of entries) for (const s of e.searches) distinct.set(JSON.stringify([e.protocol, s.start, s.bounds, s.nodeOptions]), { ...s, protocol: e.protocol });

  it.each([...distinct.values()].map((s) => [`${s.protocol}: ${s.label}`, s] as const))("the reference plays the start of %s and exhausts its bound with no violation", (_name, s) => {
    const outcome = runPlanned({ source: "targeted", label: s.label, start: s.start, options: { protocol: s.protocol, ...s.bounds, ...(s.nodeOptions ? { nodeOptions: s.nodeOptions } : {}) } });
    expect(outcome.startFailed).toBeUndefined();
    expect(outcome.result?.violation).toBeUndefined();
    expect(outcome.result?.exhausted).toBe(true);
  }, 120_000);

  it.each(entries.map((e) => [`${e.protocol} ${e.name}`, e] as const))("%s runs its targeted searches before the default bound, and one finds it", async (_name, e) => {
    const plan = searchPlan(e.protocol, await findBug(e.protocol, e.name), {});
    expect(plan.filter((p) => p.source === "targeted")).toHaveLength(e.searches.length);
    expect(plan.at(-1)?.source).toBe("bound");
    const found = plan.filter((p) => p.source === "targeted").some((p) => {
      const outcome = runPlanned(p);
      return outcome.startFailed !== undefined || outcome.result.violation !== undefined || outcome.result.stuck !== undefined;
    });
    expect(found).toBe(true);
  }, 60_000);
});
