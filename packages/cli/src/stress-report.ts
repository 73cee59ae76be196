// The stress search's results: one shard's report from its vitest run, the merge of every shard, and their text and Markdown forms.

import { describeRange, type NumberRange, type Shard } from "@course/check";

/** A failing seed as the random tests print it: the problem, then `replay: <command>`. */
export interface StressFailure {
  readonly seed?: number;
  readonly replay?: string;
  readonly message: string;
}

export interface StressTest {
  /** The test file, e.g. "raft-random.test.ts": one protocol's random fault schedules. */
  readonly file: string;
  readonly name: string;
  readonly state: "passed" | "failed" | "skipped" | "pending";
  /** Fault schedules this test was given (the shard's seeds; a failing test may stop early). */
  readonly schedules: number;
  readonly failures: readonly StressFailure[];
}

export interface ShardReport {
  readonly format: "paxos-raft-course/stress";
  readonly version: 1;
  readonly shard: Shard;
  /** The whole seed range every shard splits, and this shard's piece of it. */
  readonly range: NumberRange;
  readonly piece: NumberRange;
  readonly wallMs: number;
  readonly tests: readonly StressTest[];
}

/** Failing seeds out of a random test's assertion message: each failure is a block of lines ending in "replay: <command>". */
export function failuresFromMessage(message: string): StressFailure[] {
  // expect(failures, text).toEqual([]) appends ": expected [...] to deeply equal []" to the text.
  const lines = message.replace(/: expected \[[\s\S]*$/, "").split("\n");
  const out: StressFailure[] = [];
  let blockStart = 0;
  lines.forEach((line, k) => {
    const replay = /^\s*replay:\s*(.+?)\s*$/.exec(line)?.[1];
    if (replay === undefined) return;
    const seed = /\bSEED=(\d+)/.exec(replay)?.[1];
    const first = lines.slice(blockStart, k).find((l) => l.trim() !== "") ?? "";
    out.push({ ...(seed === undefined ? {} : { seed: Number(seed) }), replay, message: first.trim() });
    blockStart = k + 1;
  });
  if (out.length === 0 && message.trim() !== "") out.push({ message: (message.split("\n")[0] ?? message).trim() });
  return out;
}

export interface MergedReport {
  readonly shards: number;
  readonly missing: readonly number[];
  readonly range?: NumberRange;
  readonly problems: readonly string[];
  /** Per test file: tests, schedules, failing tests. */
  readonly files: readonly { readonly file: string; readonly tests: number; readonly schedules: number; readonly failed: number }[];
  readonly failures: readonly (StressFailure & { readonly file: string; readonly test: string; readonly shard: number })[];
  readonly schedules: number;
  readonly ok: boolean;
}

/** Put the shards of one stress run back together: every shard must be there once, over the same range. */
export function mergeShards(reports: readonly ShardReport[]): MergedReport {
  const problems: string[] = [];
  const counts = new Set(reports.map((r) => r.shard.count));
  const ranges = new Set(reports.map((r) => `${r.range.first}+${r.range.count}`));
  if (reports.length === 0) problems.push("no shard reports found");
  if (counts.size > 1) problems.push(`the reports come from different splits (n = ${[...counts].join(", ")})`);
  if (ranges.size > 1) problems.push("the reports cover different seed ranges");
  const n = Math.max(0, ...counts);
  const seen = new Map<number, number>();
  for (const r of reports) seen.set(r.shard.index, (seen.get(r.shard.index) ?? 0) + 1);
  const missing = Array.from({ length: n }, (_, k) => k + 1).filter((i) => !seen.has(i));
  for (const [i, times] of seen) if (times > 1) problems.push(`shard ${i}/${n} reported ${times} times`);
  if (missing.length > 0) problems.push(`missing shard(s): ${missing.map((i) => `${i}/${n}`).join(", ")}`);
  const byFile = new Map<string, { file: string; tests: number; schedules: number; failed: number }>();
  const failures: MergedReport["failures"][number][] = [];
  for (const r of [...reports].sort((a, b) => a.shard.index - b.shard.index)) {
    for (const t of r.tests) {
      const f = byFile.get(t.file) ?? { file: t.file, tests: 0, schedules: 0, failed: 0 };
      byFile.set(t.file, f);
      f.tests++;
      f.schedules += t.schedules;
      if (t.state !== "passed") {
        f.failed++;
        const found = t.failures.length > 0 ? t.failures : [{ message: `${t.name}: ${t.state}` }];
        for (const x of found) failures.push({ ...x, file: t.file, test: t.name, shard: r.shard.index });
      }
    }
  }
  const files = [...byFile.values()].sort((a, b) => a.file.localeCompare(b.file));
  const first = reports[0];
  return {
    shards: n,
    missing,
    ...(first === undefined ? {} : { range: first.range }),
    problems,
    files,
    failures,
    schedules: files.reduce((s, f) => s + f.schedules, 0),
    ok: problems.length === 0 && failures.length === 0,
  };
}

const n = (x: number) => x.toLocaleString("en-US");
const protocol = (file: string) => file.replace(/-random\.test\.ts$/, "").replace(/^twopc$/, "2PC").replace(/^paxos$/, "Basic Paxos").replace(/^multipaxos$/, "Multi-Paxos").replace(/^raft$/, "Raft");

/** The merged result as text lines for a terminal or a log. */
export function formatMerged(m: MergedReport): string[] {
  const out = [`Stress search: ${m.shards} shard(s)${m.range === undefined ? "" : `, ${describeRange(m.range)} per test`}`];
  for (const f of m.files) out.push(`  ${protocol(f.file).padEnd(12)} ${n(f.schedules).padStart(10)} schedules in ${f.tests} test run(s)${f.failed > 0 ? `, ${f.failed} FAILED` : ""}`);
  out.push(`Total: ${n(m.schedules)} fault schedules, ${m.failures.length} failure(s)`);
  for (const p of m.problems) out.push(`PROBLEM: ${p}`);
  for (const f of m.failures) {
    out.push(`FAILED ${f.file} > ${f.test} (shard ${f.shard}${f.seed === undefined ? "" : `, seed ${f.seed}`}): ${f.message}`);
    if (f.replay !== undefined) out.push(`  replay: ${f.replay}`);
  }
  return out;
}

/** The merged result as a Markdown job summary. */
export function markdownMerged(m: MergedReport): string {
  const lines = [
    `## Stress search: ${m.ok ? "no failure" : "FAILED"}`,
    "",
    `${m.shards} shard(s)${m.range === undefined ? "" : `, ${describeRange(m.range)} per test`}, ${n(m.schedules)} fault schedules in all.`,
    "",
    "| protocol | test file | schedules | failed test runs |",
    "|---|---|---:|---:|",
    ...m.files.map((f) => `| ${protocol(f.file)} | \`${f.file}\` | ${n(f.schedules)} | ${f.failed} |`),
    "",
  ];
  for (const p of m.problems) lines.push(`- **${p}**`);
  if (m.failures.length > 0) {
    lines.push("", "### Failing seeds", "");
    for (const f of m.failures) lines.push(`- \`${f.file}\` › ${f.test} (shard ${f.shard}${f.seed === undefined ? "" : `, seed ${f.seed}`}): ${f.message.replace(/\|/g, "\\|")}${f.replay === undefined ? "" : `<br>replay: \`${f.replay}\``}`);
  }
  return `${lines.join("\n")}\n`;
}
