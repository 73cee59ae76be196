// Bench section "porcupine": Porcupine's own test histories (kv and Jepsen etcd logs) checked by the course's checker, verdicts against Porcupine's expected ones, CPU time per check next to Porcupine's.
// As a script (a table per file): npx tsx bench/porcupine-compare.ts DIR [--porcupine-times FILE] [--json FILE]
//   DIR holds kv/*.txt and jepsen/*.log (Porcupine's test_data folder, or the repository root that contains it).
//   --porcupine-times: JSON lines {file, verdict, ms} measured with Porcupine itself on the same files, printed alongside.
// As a bench section: PORCUPINE_DIR=DIR [PORCUPINE_TIMES=FILE | PORCUPINE_HARNESS=PROGRAM] npm run bench -- porcupine
//   PORCUPINE_HARNESS is a program that takes history files as arguments and prints one such JSON line per file.

import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { casRegisterModel, checkLinearizable, kvModel, parseEdnKvLog, parseJepsenRegisterLog, type AnyModel, type Operation } from "@course/check";
import { median, type SectionResult } from "./run.js";

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

interface PorcupineTime {
  readonly file: string;
  readonly verdict: string;
  readonly ms: number;
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

interface HistorySet {
  readonly set: string;
  readonly dir: string;
  readonly ext: string;
  readonly model: AnyModel;
  readonly parse: (text: string) => Operation<unknown, unknown>[];
}

/** The kv and Jepsen folders under DIR (Porcupine's test_data folder or the repository root that holds it). */
function historySets(given: string): HistorySet[] {
  const root = existsSync(join(given, "test_data")) ? join(given, "test_data") : given;
  return [
    { set: "kv", dir: join(root, "kv"), ext: ".txt", model: kvModel as AnyModel, parse: parseEdnKvLog as HistorySet["parse"] },
    { set: "jepsen", dir: join(root, "jepsen"), ext: ".log", model: casRegisterModel as AnyModel, parse: parseJepsenRegisterLog as HistorySet["parse"] },
  ].filter((s) => existsSync(s.dir));
}

const filesOf = (s: HistorySet): string[] => readdirSync(s.dir).filter((f) => f.endsWith(s.ext)).sort();

function readPorcupineTimes(text: string): Map<string, PorcupineTime> {
  const out = new Map<string, PorcupineTime>();
  for (const line of text.split("\n").filter((l) => l.trim() !== "")) {
    const r = JSON.parse(line) as PorcupineTime;
    out.set(r.file, r);
  }
  return out;
}

function compare(sets: readonly HistorySet[], porcupine: ReadonlyMap<string, PorcupineTime>): Row[] {
  const rows: Row[] = [];
  const total = sets.reduce((n, s) => n + filesOf(s).length, 0);
  for (const s of sets) {
    for (const file of filesOf(s)) {
      process.stderr.write(`  porcupine: ${s.set}/${file} (${rows.length + 1}/${total})      \r`);
      const history = s.parse(readFileSync(join(s.dir, file), "utf8"));
      const { verdict, ms } = timeCheck(s.model, history);
      const p = porcupine.get(file);
      rows.push({ set: s.set, file, operations: history.length, expected: expectedVerdict(s.set, file), verdict, ms, ...(p ? { porcupineVerdict: p.verdict, porcupineMs: p.ms } : {}) });
    }
  }
  process.stderr.write("\n");
  return rows;
}

const fmt = (ms: number | undefined): string => (ms === undefined ? "-" : ms < 10 ? ms.toFixed(3) : ms.toFixed(1));
const isWrong = (r: Row): boolean => r.verdict !== "unknown" && r.verdict !== r.expected;
const timedByBoth = (rows: readonly Row[]): Row[] => rows.filter((r) => r.porcupineMs !== undefined && r.verdict !== "unknown");
const ratio = (r: Row): number => r.ms / (r.porcupineMs as number);

/** One summary row per set and one for all: files, wrong and unknown verdicts, medians of both checkers and of the per-file ratio. */
function summarize(rows: readonly Row[]): Array<Record<string, string | number>> {
  const groups: Array<readonly [string, readonly Row[]]> = [...new Set(rows.map((r) => r.set))].map((set) => [set, rows.filter((r) => r.set === set)]);
  if (groups.length > 1) groups.push(["all", rows]);
  return groups.map(([set, rs]) => {
    const both = timedByBoth(rs);
    const ratios = both.map(ratio);
    return {
      histories: set,
      files: rs.length,
      "wrong verdicts": rs.filter(isWrong).length,
      unknown: rs.filter((r) => r.verdict === "unknown").length,
      "Porcupine's verdict as expected": both.length ? rs.filter((r) => r.porcupineVerdict === r.expected).length : "-",
      "ours, cpu ms (median)": fmt(median(rs.map((r) => r.ms))),
      "Porcupine, cpu ms (median)": both.length ? fmt(median(both.map((r) => r.porcupineMs as number))) : "-",
      "ours / Porcupine per file (median)": ratios.length ? median(ratios).toFixed(2) : "-",
      "min..max ratio": ratios.length ? `${Math.min(...ratios).toFixed(2)}..${Math.max(...ratios).toFixed(2)}` : "-",
      "files where ours is slower": ratios.length ? ratios.filter((x) => x > 1).length : "-",
    };
  });
}

/** Porcupine's times: from a file of JSON lines, or from running a harness over the same files. */
function porcupineTimes(sets: readonly HistorySet[], timesFile: string | undefined, harness: string | undefined): Map<string, PorcupineTime> {
  if (timesFile) return readPorcupineTimes(readFileSync(timesFile, "utf8"));
  if (!harness) return new Map();
  process.stderr.write(`  porcupine: timing Porcupine with ${harness}\n`);
  const files = sets.flatMap((s) => filesOf(s).map((f) => join(s.dir, f)));
  return readPorcupineTimes(execFileSync(harness, files, { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"], maxBuffer: 64 * 1024 * 1024 }));
}

export async function bench(): Promise<SectionResult> {
  const dir = process.env.PORCUPINE_DIR;
  if (!dir) throw new Error("bench porcupine: set PORCUPINE_DIR to Porcupine's test_data folder (kv/*.txt, jepsen/*.log) or the repository root that holds it; PORCUPINE_TIMES=FILE or PORCUPINE_HARNESS=PROGRAM adds Porcupine's own times");
  const sets = historySets(dir);
  if (sets.length === 0) throw new Error(`bench porcupine: no kv/ or jepsen/ folder of Porcupine's test data under ${dir}`);
  const porcupine = porcupineTimes(sets, process.env.PORCUPINE_TIMES, process.env.PORCUPINE_HARNESS);
  const rows = compare(sets, porcupine);
  const wrong = rows.filter(isWrong);
  const unknown = rows.filter((r) => r.verdict === "unknown");
  const slowest = timedByBoth(rows).sort((a, b) => ratio(b) - ratio(a)).slice(0, 3);
  if (wrong.length > 0) process.exitCode = 1;
  return {
    title: `Porcupine's test histories checked by the course's checker (kvModel for kv, casRegisterModel for Jepsen etcd logs): CPU ms per check, median of 3 batches, ${TIME_LIMIT_MS / 1000} s limit`,
    rows: summarize(rows),
    notes: [
      "expected verdicts are those of Porcupine's tests; a wrong verdict fails the bench; 'unknown' is allowed only where the time limit was hit",
      `wrong: ${wrong.length ? wrong.map((r) => `${r.file} (${r.verdict}, expected ${r.expected})`).join(", ") : "none"}; unknown: ${unknown.length ? unknown.map((r) => r.file).join(", ") : "none"}`,
      slowest.length ? `largest ratios: ${slowest.map((r) => `${r.file} ${fmt(r.ms)} vs ${fmt(r.porcupineMs)} ms`).join("; ")}` : "no Porcupine times given (PORCUPINE_TIMES or PORCUPINE_HARNESS)",
      "ratio per file = our CPU time / Porcupine's; both warm (one check first), each in one process",
    ],
  };
}

function main(): void {
  const { positionals, values } = parseArgs({ allowPositionals: true, options: { "porcupine-times": { type: "string" }, json: { type: "string" }, help: { type: "boolean", short: "h" } } });
  if (values.help || positionals.length !== 1) {
    console.log("usage: npx tsx bench/porcupine-compare.ts DIR [--porcupine-times FILE] [--json FILE]\n  DIR: Porcupine's test_data folder (kv/*.txt, jepsen/*.log) or the repository root that holds it");
    process.exit(values.help ? 0 : 2);
  }
  const sets = historySets(positionals[0] as string);
  if (sets.length === 0) {
    console.error(`no kv/ or jepsen/ folder of Porcupine's test data under ${positionals[0]}`);
    process.exit(2);
  }
  const rows = compare(sets, porcupineTimes(sets, values["porcupine-times"], undefined));
  console.log(["set", "file", "ops", "expected", "ours", "cpu ms", "porcupine", "cpu ms", "ratio"].join("\t"));
  for (const r of rows) {
    const shown = r.porcupineMs !== undefined && r.verdict !== "unknown" ? ratio(r).toFixed(2) : "-";
    console.log([r.set, r.file, r.operations, r.expected, isWrong(r) ? `${r.verdict} (WRONG)` : r.verdict, fmt(r.ms), r.porcupineVerdict ?? "-", fmt(r.porcupineMs), shown].join("\t"));
  }
  console.log("");
  for (const s of summarize(rows)) console.log(Object.entries(s).map(([k, v]) => `${k}: ${v}`).join("; "));
  if (values.json) writeFileSync(values.json, JSON.stringify(rows, null, 2) + "\n");
  if (rows.some(isWrong)) process.exitCode = 1;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) main();
