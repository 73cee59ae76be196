// Bench section "explore-variants": every variant `npm run explore -- <protocol> --list` shows, searched as `--variant NAME` with no bound flags: found (by which search, invariant, steps) or not.

import { PROTOCOLS } from "@course/explore";
import { plantedBugs } from "../packages/cli/src/explore-variants.js";
import { runPlanned, searchPlan, type PlannedSearch, type SearchOutcome } from "../packages/cli/src/explore-plan.js";
import type { SectionResult } from "./run.js";

/** The table's "found by" column for each source of a search. */
const FOUND_BY: Readonly<Record<PlannedSearch["source"], string>> = { graded: "its exercise's graded search", targeted: "its targeted search", bound: "the default bound" };

export async function bench(): Promise<SectionResult> {
  const rows: Array<Record<string, string | number>> = [];
  let found = 0;
  let byGraded = 0;
  let byTargeted = 0;
  for (const protocol of PROTOCOLS) {
    const bugs = await plantedBugs(protocol);
    for (const [k, bug] of bugs.entries()) {
      process.stderr.write(`  explore-variants: ${protocol} ${k + 1}/${bugs.length} ${bug.name}                    \r`);
      const started = performance.now();
      // The searches `npm run explore -- <protocol> --variant <name>` runs, in its order, until one finds something.
      const plan = searchPlan(protocol, bug, {});
      let distinct = 0;
      let last: { outcome: SearchOutcome; source: string } | undefined;
      for (const search of plan) {
        const outcome = runPlanned(search);
        distinct += outcome.result?.distinctStates ?? 0;
        last = { outcome, source: FOUND_BY[search.source] };
        if (outcome.startFailed !== undefined || outcome.result.violation !== undefined || outcome.result.stuck !== undefined) break;
      }
      const seconds = (performance.now() - started) / 1000;
      const { outcome, source } = last as NonNullable<typeof last>;
      const r = outcome.result;
      const v = r?.violation ?? r?.stuck;
      const hit = outcome.startFailed !== undefined || v !== undefined;
      if (hit) found++;
      if (hit && source === FOUND_BY.graded) byGraded++;
      if (hit && source === FOUND_BY.targeted) byTargeted++;
      rows.push({
        protocol,
        variant: bug.name,
        result:
          outcome.startFailed !== undefined
            ? `found: its scripted start broke (${outcome.startFailed})`
            : r?.violation
              ? `found: ${r.violation.invariant}`
              : r?.stuck
                ? "found: stuck state"
                : r?.exhausted
                  ? "not found (bound exhausted)"
                  : "not found (state limit)",
        "found by": hit ? source : "-",
        steps: v === undefined ? "-" : v.depth,
        "scripted steps": v === undefined || outcome.result === undefined ? "-" : outcome.startSteps,
        "distinct states": distinct,
        seconds: seconds.toFixed(1),
      });
    }
  }
  return {
    title: `Every explore variant as npm run explore -- <protocol> --variant NAME searches it: ${found} of ${rows.length} found (${byGraded} by their exercise's graded search, ${byTargeted} by a targeted search)`,
    rows,
    notes: [
      "state counts and steps are deterministic; seconds are one run on a shared machine; distinct states add up every search run for the variant",
      "a grading mutant first runs its exercise's graded searches (exercise.ts, search: scripted start and bounds), then its targeted searches if it has any (packages/cli/src/explore-searches.ts; explorer variants may have them too), then the protocol's default bound (one crash for exercise 8); a variant may name its own bound or start (packages/explore/src/variants.ts)",
    ],
  };
}
