// `npm run stress`: the protocols' random fault-schedule tests over many seeds, one shard of a split search, or the merge of every shard's report.

import { appendFileSync, existsSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, resolve } from "node:path";
import pc from "picocolors";
import type { TestCase, TestModule } from "vitest/node";
import { describeRange, parseShard, shardOf, type NumberRange, type Shard } from "@course/check";
import { setEnv } from "@course/lessons/grading/index.js";
import { failuresFromMessage, formatMerged, markdownMerged, mergeShards, type ShardReport, type StressTest } from "./stress-report.js";
import { describeOptions, parseInteger, parseNpmArgs, runIfMain, UsageError, withUsageErrors, type OptionSpecs } from "./npm-args.js";

/** The random fault-schedule tests, one file per protocol (in packages/check/test). */
export const STRESS_FILES = { twopc: "twopc-random.test.ts", paxos: "paxos-random.test.ts", multipaxos: "multipaxos-random.test.ts", raft: "raft-random.test.ts" } as const;
type Protocol = keyof typeof STRESS_FILES;

export const DEFAULT_SEEDS = 5000;

const OPTIONS: OptionSpecs = {
  seeds: { type: "string", value: "N", description: `seeds per test, split over the shards (default ${DEFAULT_SEEDS})` },
  shard: { type: "string", value: "I/N", description: "run only the I-th of N disjoint pieces of the seed range (a CI matrix runs all N)" },
  only: { type: "string", value: "LIST", description: `protocols to run, comma-separated: ${Object.keys(STRESS_FILES).join(", ")} (default: all)` },
  json: { type: "string", value: "FILE", description: "write this shard's report as JSON (for --merge)" },
  merge: { type: "string", value: "DIR", description: "merge every shard report (*.json) under DIR: totals, failing seeds, replay commands" },
  summary: { type: "string", value: "FILE", description: "append a Markdown summary to FILE (CI: $GITHUB_STEP_SUMMARY)" },
  help: { type: "boolean", short: "h", description: "show this help" },
};

const USAGE = `usage: npm run stress [-- options]

  npm run stress                                   ${DEFAULT_SEEDS} seeds per test, every protocol
  npm run stress -- --seeds 20000 --only raft      more seeds, one protocol
  npm run stress -- --seeds 100000 --shard 3/8     the third of eight disjoint pieces of seeds 1..100,000
  npm run stress -- --merge shards/                put the pieces' --json reports together

A failing seed prints the command that replays it alone.

options:
${describeOptions(OPTIONS)}`;

export interface StressArgs {
  readonly seeds: number;
  readonly shard?: Shard;
  readonly only: readonly Protocol[];
  readonly json?: string;
  readonly merge?: string;
  readonly summary?: string;
  readonly help: boolean;
}

export function parseStressArgs(argv: readonly string[], env: NodeJS.ProcessEnv): StressArgs {
  const { values } = parseNpmArgs(argv, OPTIONS, env, "stress", 0);
  const seeds = parseInteger(values.seeds, "seeds", 1) ?? DEFAULT_SEEDS;
  let shard: Shard | undefined;
  if (typeof values.shard === "string") {
    try {
      shard = parseShard(values.shard);
    } catch (e) {
      throw new UsageError(`--shard: ${(e as Error).message}`);
    }
    if (shard.count > seeds) throw new UsageError(`--shard ${shard.index}/${shard.count} splits ${seeds} seeds into more pieces than there are seeds`);
  }
  const only = typeof values.only === "string" ? values.only.split(",").map((s) => s.trim()).filter((s) => s !== "") : Object.keys(STRESS_FILES);
  for (const p of only) if (!(p in STRESS_FILES)) throw new UsageError(`--only: unknown protocol "${p}"; choose from ${Object.keys(STRESS_FILES).join(", ")}`);
  const str = (name: string) => (typeof values[name] === "string" ? { [name]: values[name] as string } : {});
  return { seeds, ...(shard === undefined ? {} : { shard }), only: only as Protocol[], ...str("json"), ...str("merge"), ...str("summary"), help: values.help === true };
}

/** The seed range the stress run splits (the same for every test, so a shard means the same seeds everywhere). */
export function stressRange(args: Pick<StressArgs, "seeds">): NumberRange {
  return { first: 1, count: args.seeds };
}

const CHECK_DIR = dirname(createRequire(import.meta.url).resolve("@course/check"));

/** Run the chosen random tests for this shard through vitest's node API; every test gets the shard's seeds. */
export async function runShard(args: StressArgs, log: (line: string) => void = () => undefined): Promise<ShardReport> {
  const range = stressRange(args);
  const shard = args.shard ?? { index: 1, count: 1 };
  const piece = shardOf(range, shard);
  // The random tests read these (packages/check/test/seeds.ts); SEED would replay one seed instead.
  const restoreEnv = setEnv({ STRESS_SEEDS: String(range.count), SEED_START: String(range.first), STRESS_SHARD: `${shard.index}/${shard.count}`, SEED: undefined });
  const started = process.hrtime.bigint();
  const tests: StressTest[] = [];
  try {
    const { createVitest } = await import("vitest/node");
    const reporter = {
      onTestCaseResult(t: TestCase) {
        const r = t.result();
        const file = t.module.moduleId.split("/").pop() ?? t.module.moduleId;
        const message = r.state === "failed" ? (r.errors ?? []).map((e) => e.message ?? String(e)).join("\n") : "";
        tests.push({ file, name: t.name, state: r.state, schedules: piece.count, failures: r.state === "failed" ? failuresFromMessage(message) : [] });
        log(`${r.state === "passed" ? pc.green("✓") : pc.red("✗")} ${file} > ${t.name}`);
      },
      onTestRunEnd(modules: readonly TestModule[]) {
        for (const m of modules) for (const e of m.errors()) log(pc.red(`${m.moduleId}: ${e.message}`));
      },
    };
    const vitest = await createVitest("test", { root: CHECK_DIR, config: join(CHECK_DIR, "vitest.config.ts"), watch: false, reporters: [reporter] }, {}, {});
    try {
      await vitest.start(args.only.map((p) => `test/${STRESS_FILES[p]}`));
    } finally {
      await vitest.close();
    }
  } finally {
    restoreEnv();
  }
  const wallMs = Math.round(Number(process.hrtime.bigint() - started) / 1e6);
  return { format: "paxos-raft-course/stress", version: 1, shard, range, piece, wallMs, tests };
}

/** Every shard report under `dir` (artifact downloads nest each in its own folder). */
export function readShardReports(dir: string): ShardReport[] {
  if (!existsSync(dir)) throw new UsageError(`--merge: there is no folder ${dir}`);
  const out: ShardReport[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      const path = join(d, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (name.endsWith(".json")) {
        const data = JSON.parse(readFileSync(path, "utf8")) as Partial<ShardReport>;
        if (data.format === "paxos-raft-course/stress") out.push(data as ShardReport);
      }
    }
  };
  walk(dir);
  return out;
}

export async function main(argv: readonly string[], env: NodeJS.ProcessEnv, out: (line: string) => void = console.log): Promise<number> {
  return withUsageErrors(async () => {
    const args = parseStressArgs(argv, env);
    if (args.help) {
      out(USAGE);
      return 0;
    }
    const where = (file: string) => resolve(env.INIT_CWD ?? process.cwd(), file);
    if (args.merge !== undefined) {
      const merged = mergeShards(readShardReports(where(args.merge)));
      for (const line of formatMerged(merged)) out(merged.ok ? line : line.startsWith("FAILED") || line.startsWith("PROBLEM") ? pc.red(line) : line);
      if (args.summary) appendFileSync(where(args.summary), markdownMerged(merged));
      return merged.ok ? 0 : 1;
    }
    const range = stressRange(args);
    const shard = args.shard ?? { index: 1, count: 1 };
    const piece = shardOf(range, shard);
    out(pc.bold(`${args.shard === undefined ? "Stress run" : `Shard ${shard.index}/${shard.count}`}: ${describeRange(piece, range)} for each test of ${args.only.join(", ")}`));
    const report = await runShard(args, (line) => out(line));
    if (args.json) writeFileSync(where(args.json), `${JSON.stringify(report, null, 2)}\n`);
    const merged = mergeShards([{ ...report, shard: { index: 1, count: 1 } }]);
    for (const line of formatMerged(merged).slice(1)) out(line);
    out(pc.dim(`${(report.wallMs / 1000).toFixed(1)} s${args.json ? `; report written to ${where(args.json)}` : ""}`));
    if (args.summary) appendFileSync(where(args.summary), markdownMerged(merged));
    return merged.ok ? 0 : 1;
  });
}

runIfMain(import.meta.url, main);
