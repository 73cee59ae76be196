// npm run bench: runs each benchmark section, prints a table per section and writes bench/results/<section>.json.
// Usage: npm run bench [-- section...]   (sections: sim; more are listed by --help)

import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { SIM_CONFIGS, type SimSample } from "./sim.js";

const here = dirname(fileURLToPath(import.meta.url));
const RUNS = 5;

export interface SectionResult {
  readonly title: string;
  readonly rows: ReadonlyArray<Record<string, string | number>>;
  readonly notes?: readonly string[];
}

export const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
};

/** Runs a TypeScript file in a fresh process and parses the JSON line it prints. */
export function runScript<T>(file: string, args: string[]): T {
  const out = execFileSync(process.execPath, ["--import", "tsx", join(here, file), ...args], { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] });
  return JSON.parse(out.trim().split("\n").at(-1) as string) as T;
}

function simSection(): SectionResult {
  const rows: Array<Record<string, string | number>> = Object.keys(SIM_CONFIGS).map((config) => {
    const deliveries = config === "recording on" ? 300_000 : 1_000_000;
    const samples: SimSample[] = [];
    for (let i = 0; i < RUNS; i++) {
      process.stderr.write(`  sim: ${config}, run ${i + 1}/${RUNS}\r`);
      samples.push(runScript<SimSample>("sim.ts", [config, String(deliveries)]));
    }
    return {
      configuration: config,
      "deliveries per run": deliveries,
      "deliveries/s (median)": Math.round(median(samples.map((s) => s.perSecond))),
      "min..max": `${Math.round(Math.min(...samples.map((s) => s.perSecond)))}..${Math.round(Math.max(...samples.map((s) => s.perSecond)))}`,
      "peak RSS MB (median)": Math.round(median(samples.map((s) => s.peakRssMb))),
    };
  });
  const rewinds: number[] = [];
  for (let i = 0; i < RUNS; i++) rewinds.push(runScript<{ ms: number }>("sim.ts", ["rewind", "10000"]).ms);
  process.stderr.write("\n");
  rows.push({
    configuration: "rewind to step 10,000 (replay, recording on)",
    "deliveries per run": "-",
    "deliveries/s (median)": `${median(rewinds).toFixed(1)} ms per rewind`,
    "min..max": `${Math.min(...rewinds).toFixed(1)}..${Math.max(...rewinds).toFixed(1)} ms`,
    "peak RSS MB (median)": "-",
  });
  return {
    title: "Simulator overhead: five echo nodes, one process per run, median of 5 runs",
    rows,
    notes: [
      "'shared messages' passes message objects between nodes as they are; the default copies each message through JSON so nodes never share state.",
    ],
  };
}

const sections: Record<string, () => SectionResult | Promise<SectionResult>> = { sim: simSection };

/** Optional sections live in their own files and join the list when present. */
for (const [name, file] of [["raft", "raft.ts"], ["raft-recovery", "raft-recovery.ts"], ["site", "site.ts"], ["grade", "grade.ts"], ["linearizability", "linearizability.ts"], ["porcupine", "porcupine-compare.ts"], ["etcd", "etcd.ts"], ["explore", "explore.ts"], ["explore-variants", "explore-variants.ts"]] as const) {
  if (existsSync(join(here, file))) {
    sections[name] = async () => ((await import(`./${file.replace(/\.ts$/, ".js")}`)) as { bench: () => Promise<SectionResult> }).bench();
  }
}

function printTable(result: SectionResult): void {
  console.log(`\n${result.title}`);
  const cols = Object.keys(result.rows[0] ?? {});
  const width = cols.map((c) => Math.max(c.length, ...result.rows.map((r) => String(r[c]).length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(width[i] as number)).join("  ");
  console.log(line(cols));
  console.log(line(width.map((w) => "-".repeat(w))));
  for (const r of result.rows) console.log(line(cols.map((c) => String(r[c]))));
  for (const n of result.notes ?? []) console.log(`  note: ${n}`);
}

async function main(): Promise<void> {
  const { positionals, values } = parseArgs({ allowPositionals: true, options: { help: { type: "boolean", short: "h" } } });
  if (values.help) {
    console.log(`usage: npm run bench [-- section...]\nsections: ${Object.keys(sections).join(", ")} (default: all; porcupine only with PORCUPINE_DIR set)`);
    return;
  }
  // Porcupine's histories are not part of the repository: the default run compares against them only when given.
  const everything = Object.keys(sections).filter((name) => name !== "porcupine" || process.env.PORCUPINE_DIR);
  if (positionals.length === 0 && everything.length < Object.keys(sections).length) console.error("(skipping porcupine: set PORCUPINE_DIR to Porcupine's test_data folder to compare with it)");
  const chosen = positionals.length > 0 ? positionals : everything;
  for (const name of chosen) {
    if (!sections[name]) throw new Error(`unknown bench section "${name}"; choose from: ${Object.keys(sections).join(", ")}`);
  }
  mkdirSync(join(here, "results"), { recursive: true });
  for (const name of chosen) {
    console.error(`== bench ${name}`);
    const result = await (sections[name] as () => Promise<SectionResult>)();
    printTable(result);
    const file = join(here, "results", `${name}.json`);
    writeFileSync(file, JSON.stringify({ ...result, node: process.version, cpus: (await import("node:os")).cpus().length }, null, 2) + "\n");
    console.log(`  written to ${file}`);
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  main().catch((e: unknown) => {
    console.error(e instanceof Error ? e.message : e);
    process.exit(1);
  });
}
