// The proof that the graded suites mean something: each passes on the reference (100%), scores 0 on the untouched stub, fails on every mutant, and its exhaustive test alone catches the mutants marked searchFinds.

import { writeFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import { runGradedTests, type RunOutcome, type TestOutcome } from "./collect.js";
import { exerciseKey, type Exercise } from "./exercise.js";
import { gradingMetaOf } from "./meta.js";
import { discoverExercises, stubUntouched, testFileOf } from "./registry.js";
import type { ProofProject } from "./proof-run.config.js";
import { isMain } from "./main.js";

export interface SuiteScore {
  readonly tests: number;
  readonly passed: number;
  readonly points: number;
  readonly total: number;
  readonly failedTests: readonly string[];
  readonly loadErrors: readonly string[];
  /** Exhaustive tests in the suite, and how many of them failed. */
  readonly searchTests: number;
  readonly failedSearches: number;
}

export interface ExerciseProof {
  readonly key: string;
  readonly title: string;
  readonly reference?: SuiteScore;
  /** undefined when the stub has been edited (the check is skipped outside CI). */
  readonly stub?: SuiteScore;
  readonly stubEdited: boolean;
  readonly mutants: Readonly<Record<string, SuiteScore>>;
  /** The mutants marked searchFinds, and whether the exhaustive test alone caught each. */
  readonly searchCaught: Readonly<Record<string, boolean>>;
  readonly problems: readonly string[];
}

export interface ProofResult {
  readonly ok: boolean;
  readonly exercises: readonly ExerciseProof[];
  readonly wallMs: number;
  readonly schedules: number;
}

/** The score of one graded suite (`file`) in one project of a run. */
export function scoreOf(run: RunOutcome, project: string, file: string): SuiteScore | undefined {
  const m = run.modules.find((x) => x.file === file && x.project === project);
  if (m === undefined) return undefined;
  const points = (t: TestOutcome) => gradingMetaOf({ grading: t.grading })?.points ?? Number(/\[(\d+) pts?\]$/.exec(t.name)?.[1] ?? 0);
  return {
    tests: m.tests.length,
    passed: m.tests.filter((t) => t.state === "passed").length,
    points: m.tests.filter((t) => t.state === "passed").reduce((s, t) => s + points(t), 0),
    total: m.tests.reduce((s, t) => s + points(t), 0),
    failedTests: m.tests.filter((t) => t.state === "failed").map((t) => t.name),
    loadErrors: m.errors,
    searchTests: m.tests.filter(isSearch).length,
    failedSearches: m.tests.filter((t) => isSearch(t) && t.state === "failed").length,
  };
}

const isSearch = (t: TestOutcome) => t.grading?.kind === "exhaustive";

const schedulesOf = (run: RunOutcome) => run.modules.flatMap((m) => m.tests).reduce((s, t) => s + (t.grading?.schedules ?? 0), 0);

/** Run the whole proof: the references, the untouched stubs and every mutant, as projects of one vitest run. */
export async function prove(options: { log?: (line: string) => void; ci?: boolean } = {}): Promise<ProofResult> {
  const log = options.log ?? (() => undefined);
  const ci = options.ci ?? process.env.CI !== undefined;
  const started = Date.now();
  const exercises = await discoverExercises();
  const files = new Map(exercises.map((e) => [exerciseKey(e), testFileOf(e)]));
  // Every run of the proof is one vitest project with its own COURSE_IMPL_MAP, so one vitest start serves them all.
  // COURSE_GATE=off: the untouched stub must fail every graded test on its own, not behind the "not implemented yet" gate.
  const base = { COURSE_TRACES: "off", COURSE_IMPL: "reference", COURSE_FRESH_SEEDS: "0", COURSE_GATE: "off" };
  const projects: ProofProject[] = [];
  const project = (name: string, chosen: readonly Exercise[], impl: (e: Exercise) => string, bail: boolean) => {
    if (chosen.length === 0) return;
    const map = Object.fromEntries(chosen.map((e) => [exerciseKey(e), impl(e)]));
    projects.push({ name, include: chosen.map((e) => files.get(exerciseKey(e)) as string), env: { ...base, COURSE_IMPL_MAP: JSON.stringify(map), ...(bail ? { COURSE_PROOF_BAIL: "1" } : {}) } });
  };
  project("reference", exercises, () => "reference", false);
  const untouched = exercises.filter((e) => stubUntouched(e));
  project("stub", untouched, () => "student", false);
  // A mutant is caught by its first failing test; the rest of its suite is skipped (COURSE_PROOF_BAIL).
  const rounds = Math.max(0, ...exercises.map((e) => Object.keys(e.mutants).length));
  for (let k = 0; k < rounds; k++) {
    project(`mutants-${k + 1}`, exercises.filter((e) => Object.keys(e.mutants).length > k), (e) => `mutant:${Object.keys(e.mutants)[k]}`, true);
  }
  // Each mutant marked searchFinds must be caught by the exhaustive test alone (every other test skipped).
  const searchCatches = (e: Exercise) => Object.keys(e.mutants).filter((name) => e.mutants[name]?.searchFinds === true);
  const searchRounds = Math.max(0, ...exercises.map((e) => searchCatches(e).length));
  for (let k = 0; k < searchRounds; k++) {
    const chosen = exercises.filter((e) => searchCatches(e).length > k);
    const map = Object.fromEntries(chosen.map((e) => [exerciseKey(e), `mutant:${searchCatches(e)[k]}`]));
    projects.push({ name: `search-${k + 1}`, include: chosen.map((e) => files.get(exerciseKey(e)) as string), env: { ...base, COURSE_IMPL_MAP: JSON.stringify(map), COURSE_ONLY_KIND: "exhaustive" } });
  }
  log(`proof: ${projects.length} runs (reference, untouched stubs, ${rounds} rounds of mutants, ${searchRounds} of exhaustive tests alone) in one vitest run`);
  const run = await runGradedTests({
    config: "grading/proof-run.config.ts",
    // Fixed regression seeds only: the proof must give the same verdict every time (fresh seeds run in the normal test run).
    env: { COURSE_PROOF_PLAN: JSON.stringify(projects), COURSE_SEED: undefined, COURSE_STRESS: undefined, COURSE_IMPL_MAP: undefined },
    timeoutMs: 8 * 60_000,
    maxWorkers: availableParallelism(),
  });
  if (run.timedOut) log("proof: the run hit its time limit");
  const schedules = schedulesOf(run);
  const implOf = (name: string, key: string) => (JSON.parse(projects.find((p) => p.name === name)?.env.COURSE_IMPL_MAP ?? "{}") as Record<string, string>)[key];

  const proofs: ExerciseProof[] = exercises.map((e) => {
    const key = exerciseKey(e);
    const file = files.get(key) as string;
    const problems: string[] = [];
    const reference = scoreOf(run, "reference", file);
    if (Object.keys(e.mutants).length < 3) problems.push(`only ${Object.keys(e.mutants).length} mutants (at least 3 are required)`);
    if (reference === undefined) problems.push(`no results for ${file} (is the graded suite there?)`);
    else {
      if (reference.loadErrors.length > 0) problems.push(`the suite does not load: ${reference.loadErrors[0]}`);
      if (reference.tests === 0) problems.push("the suite has no tests");
      if (reference.passed !== reference.tests || reference.points !== reference.total) problems.push(`reference scores ${reference.points}/${reference.total}; failing: ${reference.failedTests.join("; ")}`);
    }
    const edited = !untouched.includes(e);
    const stub = edited ? undefined : scoreOf(run, "stub", file);
    if (edited && ci) problems.push(`${e.stubFile} is not the untouched stub (every graded function must still throw its TODO error)`);
    if (stub !== undefined && (stub.points > 0 || stub.passed > 0)) problems.push(`the untouched stub passes ${stub.passed} test(s) worth ${stub.points} points; a graded test must not pass without the student's code`);
    // Every graded test must fail on its own (not merely be skipped): the gate that students see is off in this run.
    if (stub !== undefined && stub.failedTests.length !== stub.tests) problems.push(`the untouched stub fails only ${stub.failedTests.length} of ${stub.tests} graded tests; each must fail by itself`);
    const mutants: Record<string, SuiteScore> = {};
    for (const name of Object.keys(e.mutants)) {
      const round = projects.find((p) => p.name.startsWith("mutants-") && implOf(p.name, key) === `mutant:${name}`);
      const s = round === undefined ? undefined : scoreOf(run, round.name, file);
      if (s === undefined) {
        problems.push(`mutant ${name}: no results`);
        continue;
      }
      mutants[name] = s;
      if (s.loadErrors.length > 0) problems.push(`mutant ${name}: the suite does not load: ${s.loadErrors[0]}`);
      else if (s.failedTests.length === 0) problems.push(`mutant ${name} (${e.mutants[name]?.description}) passes every graded test`);
    }
    const searchCaught: Record<string, boolean> = {};
    const hasSearch = (reference?.searchTests ?? 0) > 0;
    if (hasSearch && searchCatches(e).length === 0) problems.push("the suite has an exhaustive test but no mutant is marked searchFinds (which mistake does the search catch by itself?)");
    for (const name of searchCatches(e)) {
      const round = projects.find((p) => p.name.startsWith("search-") && implOf(p.name, key) === `mutant:${name}`);
      const s = round === undefined ? undefined : scoreOf(run, round.name, file);
      searchCaught[name] = (s?.failedSearches ?? 0) > 0;
      if (!searchCaught[name]) problems.push(`mutant ${name} is marked searchFinds, but the exhaustive test alone does not catch it`);
    }
    return { key, title: e.title, searchCaught, ...(reference === undefined ? {} : { reference }), ...(stub === undefined ? {} : { stub }), stubEdited: edited, mutants, problems };
  });
  return { ok: proofs.length > 0 && proofs.every((p) => p.problems.length === 0), exercises: proofs, wallMs: Date.now() - started, schedules };
}

export function formatProof(result: ProofResult): string[] {
  const out: string[] = [];
  const rows = result.exercises.map((p) => {
    const ref = p.reference === undefined ? "missing" : `${p.reference.points}/${p.reference.total} pts`;
    const stub = p.stub === undefined ? (p.stubEdited ? "edited, skipped" : "missing") : `${p.stub.points}/${p.stub.total} pts`;
    const names = Object.keys(p.mutants);
    const caught = names.filter((n) => (p.mutants[n]?.failedTests.length ?? 0) > 0).length;
    return [p.key, ref, stub, `${caught}/${names.length} caught`, p.problems.length === 0 ? "ok" : "FAIL"];
  });
  const head = ["exercise", "reference", "untouched stub", "mutants", ""];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] as string).length)));
  const fmt = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i] as number)).join("  ");
  out.push(fmt(head));
  for (const r of rows) out.push(fmt(r));
  for (const p of result.exercises) {
    for (const [name, s] of Object.entries(p.mutants)) out.push(`  ${p.key} mutant ${name}: ${s.failedTests[0] ? `caught by "${s.failedTests[0]}"` : "NOT caught"}`);
    for (const [name, caught] of Object.entries(p.searchCaught)) out.push(`  ${p.key} mutant ${name}: ${caught ? "caught by the exhaustive test alone" : "NOT caught by the exhaustive test alone"}`);
    for (const problem of p.problems) out.push(`  PROBLEM ${p.key}: ${problem}`);
  }
  out.push(`${result.ok ? "proof holds" : "PROOF FAILED"}: ${result.exercises.length} exercises, ${result.schedules} simulated schedules, ${(result.wallMs / 1000).toFixed(1)} s`);
  return out;
}

// `npx tsx lessons/grading/prove.ts [--json FILE]`
if (isMain(import.meta.url)) {
  const jsonAt = process.argv.indexOf("--json");
  prove({ log: (l) => console.error(l) })
    .then((result) => {
      for (const line of formatProof(result)) console.log(line);
      const file = jsonAt > 0 ? process.argv[jsonAt + 1] : undefined;
      if (file) writeFileSync(file, JSON.stringify(result, null, 2));
      process.exit(result.ok ? 0 : 1);
    })
    .catch((e: unknown) => {
      console.error(e);
      process.exit(2);
    });
}
