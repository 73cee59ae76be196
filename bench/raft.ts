// Bench section "raft": a five-node Raft cluster under loss, crashes and partitions, with and without invariant checks.

import { median, runScript, type SectionResult } from "./run.js";
import type { RaftBenchResult } from "./raft-cluster.js";

const RUNS = 3;
const SIMULATED_SECONDS = 600;

export async function bench(): Promise<SectionResult> {
  const rows: Array<Record<string, string | number>> = [];
  for (const mode of ["on", "off"] as const) {
    const samples: RaftBenchResult[] = [];
    for (let i = 0; i < RUNS; i++) {
      process.stderr.write(`  raft: invariant checks ${mode}, run ${i + 1}/${RUNS}\r`);
      const r = runScript<RaftBenchResult>("raft-cluster.ts", [String(SIMULATED_SECONDS), mode, "--json"]);
      if (r.violation) throw new Error(`the benchmark run found a violation: ${r.violation}`);
      samples.push(r);
    }
    rows.push({
      "invariant checks": mode,
      "simulated s per run": SIMULATED_SECONDS,
      "simulated s per wall s (median)": Math.round(median(samples.map((s) => s.simSecondsPerWallSecond))),
      "simulated s per CPU s (median)": Math.round(median(samples.map((s) => s.simSecondsPerCpuSecond))),
      "events/s (median)": Math.round(median(samples.map((s) => s.eventsPerSecond))),
      "commands acknowledged": Math.round(median(samples.map((s) => s.committed))),
    });
  }
  process.stderr.write("\n");
  return {
    title: `Raft, 5 nodes: 50 ms heartbeats, 10 commands per simulated s, 10% loss, crashes and partitions; median of ${RUNS} runs`,
    rows,
    notes: [
      `each run is a fresh process that first warms up with a ${SIMULATED_SECONDS}-simulated-second run of another seed; the checks are all six Raft invariants after every event`,
    ],
  };
}
