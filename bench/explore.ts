// Bench section "explore": distinct states per second of the exhaustive search on 3-node Raft, and state counts at every protocol's default bound.
// As a script (one search in a fresh process): tsx bench/explore.ts PROTOCOL [MAX_STATES]

import { fileURLToPath } from "node:url";
import { explore, PROTOCOLS, type ProtocolName } from "@course/explore";
import { median, runScript, type SectionResult } from "./run.js";

const RUNS = 5;
/** The speed runs search 3-node Raft past its default bound (no state limit but this one), so every run does the same work. */
const SPEED_STATES = 100_000;

interface Sample {
  readonly protocol: string;
  readonly distinctStates: number;
  readonly statesExplored: number;
  readonly depthReached: number;
  readonly exhausted: boolean;
  readonly violation: string | null;
  readonly ms: number;
}

/** One search in this process, timed alone. */
function measure(protocol: ProtocolName, maxStates: number | undefined): Sample {
  const start = performance.now();
  // The speed runs widen Raft's bound (three timer firings) so that the search has SPEED_STATES states to find.
  const r = explore(maxStates === undefined ? { protocol } : { protocol, timers: 3, maxStates });
  const ms = performance.now() - start;
  return { protocol, distinctStates: r.distinctStates, statesExplored: r.statesExplored, depthReached: r.depthReached, exhausted: r.exhausted, violation: r.violation?.invariant ?? null, ms };
}

export async function bench(): Promise<SectionResult> {
  const speed: Sample[] = [];
  for (let i = 0; i < RUNS; i++) {
    process.stderr.write(`  explore: raft speed, run ${i + 1}/${RUNS}\r`);
    speed.push(runScript<Sample>("explore.ts", ["raft", String(SPEED_STATES)]));
  }
  const rates = speed.map((s) => (s.distinctStates * 1000) / s.ms);
  const rows: Array<Record<string, string | number>> = [
    {
      search: `raft, 3 nodes, first ${SPEED_STATES} distinct states (timers 3)`,
      "distinct states": SPEED_STATES,
      "explored (transitions)": Math.round(median(speed.map((s) => s.statesExplored))),
      "seconds (median)": (median(speed.map((s) => s.ms)) / 1000).toFixed(1),
      "distinct states/s (median)": Math.round(median(rates)),
      "min..max states/s": `${Math.round(Math.min(...rates))}..${Math.round(Math.max(...rates))}`,
    },
  ];
  for (const protocol of PROTOCOLS) {
    const runs: Sample[] = [];
    for (let i = 0; i < 3; i++) {
      process.stderr.write(`  explore: ${protocol} default bound, run ${i + 1}/3\r`);
      runs.push(runScript<Sample>("explore.ts", [protocol]));
    }
    const s = runs[0] as Sample;
    rows.push({
      search: `${protocol}, default bound${s.exhausted ? ", exhausted" : ", NOT exhausted"}${s.violation ? `, violation ${s.violation}` : ", no violation"}`,
      "distinct states": s.distinctStates,
      "explored (transitions)": s.statesExplored,
      "seconds (median)": (median(runs.map((r) => r.ms)) / 1000).toFixed(1),
      "distinct states/s (median)": Math.round(median(runs.map((r) => (r.distinctStates * 1000) / r.ms))),
      "min..max states/s": "-",
    });
  }
  process.stderr.write("\n");
  return {
    title: `Exhaustive search (npm run explore): one process per run, median of ${RUNS} runs (speed) and of 3 runs (default bounds)`,
    rows,
    notes: ["State counts at a fixed bound are exact: every run of one bound finds the same states.", "The machine may be shared: states/s varies with its load; the median is quoted."],
  };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const [protocol, maxStates] = process.argv.slice(2);
  if (!PROTOCOLS.includes(protocol as ProtocolName)) throw new Error(`usage: tsx bench/explore.ts <${PROTOCOLS.join("|")}> [MAX_STATES]`);
  console.log(JSON.stringify(measure(protocol as ProtocolName, maxStates === undefined ? undefined : Number(maxStates))));
}
