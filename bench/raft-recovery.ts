// Bench section "raft-recovery": how long Raft takes to recover once faults stop, over every seed of CI's stress search.
// Run: npm run bench -- raft-recovery   (or npx tsx bench/raft-recovery.ts [seeds per profile])

import { RAFT_LIVENESS_BOUND, RAFT_STRESS_PROFILES, runStress, stressSeeds, type RaftStressProfile } from "@course/check";
import type { SectionResult } from "./run.js";

/** The value below which `p` of the sorted samples fall (nearest rank). */
function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))] as number;
}

function measure(profile: RaftStressProfile, seeds: number): Record<string, string | number> {
  const times: number[] = [];
  let failed = 0;
  for (const seed of stressSeeds({ ...profile, seeds })) {
    const r = runStress(profile, seed);
    if (r.violation !== undefined || !r.live || r.recoveryTime === undefined) failed++;
    else times.push(r.recoveryTime);
  }
  times.sort((a, b) => a - b);
  const ms = (p: number) => (times.length === 0 ? "-" : Math.round(percentile(times, p)));
  return {
    schedules: profile.name,
    runs: seeds,
    "recovered in bound": `${times.length}/${seeds}`,
    "p50 ms": ms(0.5),
    "p99 ms": ms(0.99),
    "max ms": ms(1),
    failed,
  };
}

export async function bench(seedsPerProfile?: number): Promise<SectionResult> {
  const rows = RAFT_STRESS_PROFILES.map((profile, k) => {
    process.stderr.write(`  raft-recovery: ${k + 1}/${RAFT_STRESS_PROFILES.length} ${profile.name}\r`);
    return measure(profile, seedsPerProfile ?? profile.seeds);
  });
  process.stderr.write("\n");
  return {
    title: `Raft time to recover after the faults stop (simulated ms until one leader, every command answered, every member applied the same log), CI's stress schedules`,
    rows,
    notes: [
      `the bound every run must meet is ${RAFT_LIVENESS_BOUND} ms (RAFT_LIVENESS_BOUND); a run that breaks an invariant or misses the bound counts as failed`,
      "faults last the first 3 simulated seconds of each run; recovery is timed from the moment every server is up and every link works again, to the 10 ms step at which the clients look",
    ],
  };
}

if (process.argv[1]?.endsWith("raft-recovery.ts")) {
  const seeds = process.argv[2] === undefined ? undefined : Number(process.argv[2]);
  if (seeds !== undefined && !(Number.isInteger(seeds) && seeds > 0)) throw new Error(`seeds per profile must be a positive integer, got ${process.argv[2]}`);
  const result = await bench(seeds);
  console.log(JSON.stringify(result, null, 2));
}
