// Bench section "linearizability": the checker on generated key-value histories (valid and with one stale read), 1 to 50 clients, up to 20,000 operations.
// As a script (one configuration in a fresh process): tsx bench/linearizability.ts CLIENTS KEYS OPERATIONS LOST_RATE ILLEGAL SEED

import { fileURLToPath } from "node:url";
import { checkLinearizable, generateKvHistory, kvModel } from "@course/check";
import { median, runScript, type SectionResult } from "./run.js";

const SEEDS = [1, 2, 3, 4, 5];
/** Per history; past it the checker answers "unknown". */
const TIME_LIMIT_MS = 10_000;

interface Config {
  readonly clients: number;
  readonly keys: number;
  readonly operations: number;
  readonly lostRate: number;
}

const CONFIGS: readonly Config[] = [
  { clients: 1, keys: 1, operations: 20_000, lostRate: 0 },
  { clients: 5, keys: 1, operations: 20_000, lostRate: 0 },
  { clients: 5, keys: 1, operations: 20_000, lostRate: 0.002 },
  { clients: 10, keys: 1, operations: 2_000, lostRate: 0 },
  { clients: 10, keys: 1, operations: 20_000, lostRate: 0 },
  { clients: 50, keys: 10, operations: 20_000, lostRate: 0 },
  { clients: 50, keys: 1, operations: 200, lostRate: 0 },
];

interface Sample {
  readonly verdict: string;
  readonly ms: number;
  readonly explored: number;
}

/** One check in this process: generate, then time checkLinearizable alone. */
function measure(config: Config, illegal: boolean, seed: number): Sample {
  const history = generateKvHistory({ seed, clients: config.clients, keys: config.keys, operations: config.operations, lostRate: config.lostRate, illegal });
  // Warm the code up on a small history of the same shape, so the time is the search, not the compiler.
  checkLinearizable(kvModel, generateKvHistory({ seed: seed + 1000, clients: config.clients, keys: config.keys, operations: 500, lostRate: config.lostRate }), { timeLimitMs: 1000, clock: () => performance.now() });
  const start = performance.now();
  const result = checkLinearizable(kvModel, history, { timeLimitMs: TIME_LIMIT_MS, clock: () => performance.now() });
  const ms = performance.now() - start;
  return { verdict: result.verdict, ms, explored: result.partitions.reduce((sum, p) => sum + p.explored, 0) };
}

const tally = (samples: readonly Sample[]): string => {
  const counts = new Map<string, number>();
  for (const s of samples) counts.set(s.verdict, (counts.get(s.verdict) ?? 0) + 1);
  return [...counts].map(([v, n]) => `${n} ${v}`).join(", ");
};

export async function bench(): Promise<SectionResult> {
  const rows: Array<Record<string, string | number>> = [];
  for (const config of CONFIGS) {
    for (const illegal of [false, true]) {
      const samples: Sample[] = [];
      for (const seed of SEEDS) {
        process.stderr.write(`  linearizability: ${config.clients} clients, ${config.operations} ops, ${illegal ? "stale read" : "valid"}, seed ${seed}      \r`);
        samples.push(runScript<Sample>("linearizability.ts", [config.clients, config.keys, config.operations, config.lostRate, illegal ? 1 : 0, seed].map(String)));
      }
      const ms = samples.map((s) => s.ms);
      rows.push({
        clients: config.clients,
        keys: config.keys,
        operations: config.operations,
        "lost calls": config.lostRate === 0 ? "none" : `${config.lostRate * 100}%`,
        history: illegal ? "one stale read" : "linearizable",
        verdicts: tally(samples),
        "ms (median)": Math.round(median(ms)),
        "min..max ms": `${Math.round(Math.min(...ms))}..${Math.round(Math.max(...ms))}`,
        "states explored (median)": Math.round(median(samples.map((s) => s.explored))),
      });
    }
  }
  process.stderr.write("\n");
  return {
    title: `Linearizability checker, kv model (get, put, cas), generated histories; median of ${SEEDS.length} seeds, ${TIME_LIMIT_MS / 1000} s limit per history`,
    rows,
    notes: [
      "each history in a fresh process; the time is checkLinearizable alone, after a warm-up on a small history",
      "clients run one operation at a time, 1-10 time units each, taking effect at a random moment inside the call; 'stale read' changes one read near the end to a value overwritten before it began",
      "'unknown' means the time limit was reached: proving a history illegal needs every reachable ordering explored, which grows with the number of clients on one key",
    ],
  };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const [clients, keys, operations, lostRate, illegal, seed] = process.argv.slice(2).map(Number);
  console.log(JSON.stringify(measure({ clients: clients as number, keys: keys as number, operations: operations as number, lostRate: lostRate as number }, illegal === 1, seed as number)));
}
