// Checks every history of Porcupine's test data (kv and Jepsen etcd logs) with the course's checker: verdict and time per file, next to the verdicts Porcupine's tests expect.
// Usage: npx tsx bench/porcupine-compare.ts DIR [--porcupine-times FILE] [--json FILE]
//   DIR holds kv/*.txt and jepsen/*.log (Porcupine's test_data folder, or the repository root that contains it).
//   --porcupine-times: JSON lines {file, verdict, ms} measured with Porcupine itself on the same files, printed alongside.

import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { casRegisterModel, checkLinearizable, kvModel, parseEdnKvLog, parseJepsenRegisterLog, type AnyModel, type Operation } from "@course/check";
import { median } from "./run.js";

/** Verdicts Porcupine's own tests expect (porcupine_test.go): the Jepsen etcd logs that are linearizable; every other one is not. */
const JEPSEN_LINEARIZABLE = new Set([2, 5, 7, 18, 25, 31, 38, 45, 48, 49, 51, 53, 56, 67, 75, 76, 80, 87, 92, 98, 100, 101, 102]);
const TIME_LIMIT_MS = 10_000;
/**
 * Each file is checked once to warm up, then timed in CPU time (user + system, as Porcupine's side is): three
 * batches, each repeating the check until 200 ms of CPU time or 5000 runs; the median of the batch averages is
 * reported. CPU time rather than the wall clock, because the machine is shared: other work inflates wall times.
 */
const BATCH_CPU_MS = 200;
const BATCH_RUNS = 5000;

interface Row {
  readonly set: string;
  readonly file: string;
  readonly operations: number;
  readonly expected: "ok" | "illegal";
  readonly verdict: string;
  readonly ms: number;
  readonly porcupineVerdict?: string;
  readonly porcupineMs?: number;
}

function expectedVerdict(set: string, file: string): "ok" | "illegal" {
  if (set === "kv") return file.includes("-ok") ? "ok" : "illegal";
  return JEPSEN_LINEARIZABLE.has(Number(/(\d+)/.exec(file)?.[1])) ? "ok" : "illegal";
}

const cpuMs = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

function timeCheck(model: AnyModel, history: Operation<unknown, unknown>[]): { verdict: string; ms: number } {
  const options = { timeLimitMs: TIME_LIMIT_MS, clock: () => performance.now() };
  const start = performance.now();
  const verdict = checkLinearizable(model, history, options).verdict;
  if (verdict === "unknown") return { verdict, ms: performance.now() - start };
  const perRun: number[] = [];
  for (let batch = 0; batch < 3; batch++) {
    const begin = cpuMs();
    let runs = 0;
    do {
      checkLinearizable(model, history, options);
      runs++;
    } while (cpuMs() - begin < BATCH_CPU_MS && runs < BATCH_RUNS);
    perRun.push((cpuMs() - begin) / runs);
  }
  return { verdict, ms: median(perRun) };
}

function main(): void {
  const { positionals, values } = parseArgs({ allowPositionals: true, options: { "porcupine-times": { type: "string" }, json: { type: "string" }, help: { type: "boolean", short: "h" } } });
  if (values.help || positionals.length !== 1) {
    console.log("usage: npx tsx bench/porcupine-compare.ts DIR [--porcupine-times FILE] [--json FILE]\n  DIR: Porcupine's test_data folder (kv/*.txt, jepsen/*.log) or the repository root that holds it");
    process.exit(values.help ? 0 : 2);
  }
  const given = positionals[0] as string;
  const root = existsSync(join(given, "test_data")) ? join(given, "test_data") : given;
  const sets = [
    { set: "kv", dir: join(root, "kv"), ext: ".txt", model: kvModel as AnyModel, parse: parseEdnKvLog as (text: string) => Operation<unknown, unknown>[] },
    { set: "jepsen", dir: join(root, "jepsen"), ext: ".log", model: casRegisterModel as AnyModel, parse: parseJepsenRegisterLog as (text: string) => Operation<unknown, unknown>[] },
  ].filter((s) => existsSync(s.dir));
  if (sets.length === 0) {
    console.log(`skipped: no kv/ or jepsen/ folder of Porcupine's test data under ${given}`);
    return;
  }
  const porcupine = new Map<string, { verdict: string; ms: number }>();
  if (values["porcupine-times"]) {
    for (const line of readFileSync(values["porcupine-times"], "utf8").split("\n").filter(Boolean)) {
      const r = JSON.parse(line) as { file: string; verdict: string; ms: number };
      porcupine.set(r.file, r);
    }
  }
  const rows: Row[] = [];
  for (const { set, dir, ext, model, parse } of sets) {
    for (const file of readdirSync(dir).filter((f) => f.endsWith(ext)).sort()) {
      process.stderr.write(`  ${set}/${file}      \r`);
      const history = parse(readFileSync(join(dir, file), "utf8"));
      const { verdict, ms } = timeCheck(model, history);
      const p = porcupine.get(file);
      rows.push({ set, file, operations: history.length, expected: expectedVerdict(set, file), verdict, ms, ...(p ? { porcupineVerdict: p.verdict, porcupineMs: p.ms } : {}) });
    }
  }
  process.stderr.write("\n");
  const fmt = (ms: number | undefined) => (ms === undefined ? "-" : ms < 10 ? ms.toFixed(3) : ms.toFixed(1));
  console.log(["set", "file", "ops", "expected", "ours", "cpu ms", "porcupine", "cpu ms", "ratio"].join("\t"));
  for (const r of rows) {
    const ratio = r.porcupineMs ? (r.ms / r.porcupineMs).toFixed(2) : "-";
    console.log([r.set, r.file, r.operations, r.expected, r.verdict === r.expected ? r.verdict : `${r.verdict} (WRONG)`, fmt(r.ms), r.porcupineVerdict ?? "-", fmt(r.porcupineMs), ratio].join("\t"));
  }
  const wrong = rows.filter((r) => r.verdict !== "unknown" && r.verdict !== r.expected);
  const unknown = rows.filter((r) => r.verdict === "unknown");
  console.log(`\n${rows.length} histories: ${wrong.length} wrong verdicts, ${unknown.length} unknown (${TIME_LIMIT_MS / 1000} s limit)`);
  for (const set of new Set(rows.map((r) => r.set))) {
    const rs = rows.filter((r) => r.set === set);
    const withP = rs.filter((r) => r.porcupineMs !== undefined);
    const line = `  ${set}: ${rs.length} files, median ${fmt(median(rs.map((r) => r.ms)))} ms`;
    console.log(withP.length ? `${line}; Porcupine median ${fmt(median(withP.map((r) => r.porcupineMs as number)))} ms; median per-file ratio ${median(withP.map((r) => r.ms / (r.porcupineMs as number))).toFixed(2)}` : line);
  }
  const withP = rows.filter((r) => r.porcupineMs !== undefined);
  if (withP.length) console.log(`  all: median ${fmt(median(rows.map((r) => r.ms)))} ms; Porcupine median ${fmt(median(withP.map((r) => r.porcupineMs as number)))} ms`);
  if (values.json) writeFileSync(values.json, JSON.stringify(rows, null, 2) + "\n");
  if (wrong.length > 0) process.exitCode = 1;
}

main();
