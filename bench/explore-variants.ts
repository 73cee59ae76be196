// Bench section "explore-variants": every variant `npm run explore -- <protocol> --list` shows, searched at its default bound: found (invariant, steps) or not.

import { explore, PROTOCOLS } from "@course/explore";
import { plantedBugs } from "../packages/cli/src/explore-variants.js";
import type { SectionResult } from "./run.js";

export async function bench(): Promise<SectionResult> {
  const rows: Array<Record<string, string | number>> = [];
  let found = 0;
  for (const protocol of PROTOCOLS) {
    const bugs = await plantedBugs(protocol);
    for (const [k, bug] of bugs.entries()) {
      process.stderr.write(`  explore-variants: ${protocol} ${k + 1}/${bugs.length} ${bug.name}                    \r`);
      const started = performance.now();
      // The same options `npm run explore -- <protocol> --variant <name>` passes.
      const r = explore({
        protocol,
        ...(bug.bounds ?? {}),
        ...(bug.variant === undefined ? {} : { variant: bug.variant }),
        ...(bug.rules === undefined ? {} : { rules: bug.rules }),
        ...(bug.nodeOptions === undefined ? {} : { nodeOptions: bug.nodeOptions }),
        ...(bug.rulesLabel === undefined ? {} : { rulesLabel: bug.rulesLabel }),
      });
      const seconds = (performance.now() - started) / 1000;
      const v = r.violation ?? r.stuck;
      if (v !== undefined) found++;
      rows.push({
        protocol,
        variant: bug.name,
        result: r.violation ? `found: ${r.violation.invariant}` : r.stuck ? "found: stuck state" : r.exhausted ? "not found (bound exhausted)" : "not found (state limit)",
        steps: v === undefined ? "-" : v.depth,
        "distinct states": r.distinctStates,
        seconds: seconds.toFixed(1),
      });
    }
  }
  return {
    title: `Every explore variant at its default bound: ${found} of ${rows.length} found`,
    rows,
    notes: ["state counts and steps are deterministic; seconds are one run on a shared machine", "a variant may name its own bound or start (see packages/explore/src/variants.ts); grading mutants use the protocol's default bound, with one crash for exercise 8 (packages/cli/src/explore-variants.ts)"],
  };
}
