// The solutions corpus: student-style solutions of every exercise, each graded through the normal harness; correct ones must score 100%, buggy ones must lose points.

import { existsSync, readdirSync, writeFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { pathToFileURL } from "node:url";
import { runGradedTests, type RunOutcome } from "./collect.js";
import { exerciseKey, type Exercise } from "./exercise.js";
import { LESSONS_DIR, SOLUTIONS_DIR } from "./impl.js";
import { isMain } from "./main.js";
import type { ProofProject } from "./proof-run.config.js";
import { scoreOf, type SuiteScore } from "./prove.js";
import { discoverExercises, testFileOf } from "./registry.js";

/** What a solution of the corpus is expected to get, and why (each fixture exports one as `expectation`). */
export interface Expectation {
  /** True: a correct solution that differs from the reference only in choices the rule leaves open; it must score 100%. */
  readonly correct: boolean;
  /** For a correct solution, how it differs from the reference; for a buggy one, the mistake and what it breaks. */
  readonly why: string;
}

export { SOLUTIONS_DIR };

export interface Solution {
  /** The exercise it solves, "6/append-entries". */
  readonly key: string;
  /** The fixture's file, relative to the lessons folder. */
  readonly file: string;
  readonly name: string;
  readonly expectation: Expectation;
}

/** "06-append-entries" for lesson 6's exercise "append-entries". */
export function solutionFolderOf(exercise: Pick<Exercise, "lesson" | "id">): string {
  return `${String(exercise.lesson).padStart(2, "0")}-${exercise.id}`;
}

/** Every fixture of the corpus, with its expectation, in exercise order. Throws on a fixture without an expectation. */
export async function discoverSolutions(exercises: readonly Exercise[], dir: string = LESSONS_DIR): Promise<Solution[]> {
  const out: Solution[] = [];
  const folders = new Map(exercises.map((e) => [solutionFolderOf(e), e]));
  const root = join(dir, SOLUTIONS_DIR);
  if (!existsSync(root)) return out;
  for (const folder of readdirSync(root).sort()) {
    const exercise = folders.get(folder);
    if (exercise === undefined) throw new Error(`${SOLUTIONS_DIR}/${folder} names no exercise (expected <NN>-<exercise id>, e.g. ${solutionFolderOf({ lesson: 6, id: "append-entries" })})`);
    for (const name of readdirSync(join(root, folder)).filter((f) => f.endsWith(".ts")).sort()) {
      const file = `${SOLUTIONS_DIR}/${folder}/${name}`;
      const module = (await import(pathToFileURL(join(dir, file)).href)) as { expectation?: Expectation };
      const e = module.expectation;
      if (typeof e?.correct !== "boolean" || typeof e.why !== "string" || e.why === "") throw new Error(`${file} must export expectation = { correct, why }`);
      out.push({ key: exerciseKey(exercise), file, name: name.replace(/\.ts$/, ""), expectation: e });
    }
  }
  return out;
}

export interface SolutionVerdict {
  readonly solution: Solution;
  readonly score?: SuiteScore;
  /** The graded test that caught a buggy solution first (or the first a correct one failed). */
  readonly caughtBy?: string;
  /** Stress runs only: for each failing simulation test, seeds failed of seeds run. */
  readonly rates: readonly { readonly test: string; readonly failed: number; readonly run: number }[];
  readonly ok: boolean;
  readonly problem?: string;
}

export interface CorpusResult {
  readonly ok: boolean;
  readonly verdicts: readonly SolutionVerdict[];
  readonly wallMs: number;
}

export interface CorpusOptions {
  /** Only these lessons (default: every exercise). */
  readonly lessons?: readonly number[];
  /** Fixtures whose file name contains this. */
  readonly match?: string;
  /**
   * 0 (default): the fixed regression seeds only, so the verdict is the same on every run and matches what every
   * `npm run grade` runs. N > 0: N fresh seeds more per simulation test, every seed run (stress mode), and every
   * graded test run even after a failure, to measure how often each simulation catches a buggy solution.
   */
  readonly fresh?: number;
  readonly log?: (line: string) => void;
}

/** Grade every fixture of the corpus in one vitest run (one project per round, like the proof). */
export async function gradeCorpus(options: CorpusOptions = {}): Promise<CorpusResult> {
  const started = Date.now();
  const log = options.log ?? (() => undefined);
  const all = await discoverExercises();
  const exercises = all.filter((e) => options.lessons === undefined || options.lessons.includes(e.lesson));
  const keys = new Set(exercises.map(exerciseKey));
  const solutions = (await discoverSolutions(all)).filter((s) => keys.has(s.key) && (options.match === undefined || s.file.includes(options.match)));
  const fresh = options.fresh ?? 0;
  const fileOf = new Map(exercises.map((e) => [exerciseKey(e), testFileOf(e)]));
  const base: Record<string, string> = { COURSE_TRACES: "off", COURSE_IMPL: "reference", COURSE_FRESH_SEEDS: String(fresh), ...(fresh > 0 ? { COURSE_STRESS: "1" } : {}) };
  // Round k grades the k-th correct (then the k-th buggy) solution of every exercise, each exercise in its own suite.
  const projects: ProofProject[] = [];
  const roundOf = new Map<Solution, string>();
  for (const correct of [true, false]) {
    const byExercise = new Map<string, Solution[]>();
    for (const s of solutions.filter((x) => x.expectation.correct === correct)) byExercise.set(s.key, [...(byExercise.get(s.key) ?? []), s]);
    const rounds = Math.max(0, ...[...byExercise.values()].map((l) => l.length));
    for (let k = 0; k < rounds; k++) {
      const chosen = [...byExercise.values()].flatMap((l) => (l[k] === undefined ? [] : [l[k] as Solution]));
      const name = `${correct ? "correct" : "buggy"}-${k + 1}`;
      for (const s of chosen) roundOf.set(s, name);
      // A buggy solution needs one failing test; with fresh seeds every test runs, to measure each one's catch rate.
      const bail: Record<string, string> = !correct && fresh === 0 ? { COURSE_PROOF_BAIL: "1" } : {};
      projects.push({ name, include: chosen.map((s) => fileOf.get(s.key) as string), env: { ...base, ...bail, COURSE_IMPL_MAP: JSON.stringify(Object.fromEntries(chosen.map((s) => [s.key, `file:${s.file}`]))) } });
    }
  }
  log(`corpus: ${solutions.length} solutions (${solutions.filter((s) => s.expectation.correct).length} correct) of ${exercises.length} exercises, ${projects.length} rounds in one vitest run${fresh > 0 ? `, ${fresh} fresh seeds per simulation` : ""}`);
  const run: RunOutcome = await runGradedTests({
    config: "grading/proof-run.config.ts",
    env: { COURSE_PROOF_PLAN: JSON.stringify(projects), COURSE_SEED: undefined, COURSE_STRESS: undefined, COURSE_IMPL_MAP: undefined, COURSE_FAULTS: undefined },
    timeoutMs: (10 + fresh) * 60_000,
    maxWorkers: availableParallelism(),
  });
  if (run.timedOut) log("corpus: the run hit its time limit");
  const verdicts = solutions.map((solution) => verdictOf(solution, run, roundOf.get(solution) as string, fileOf.get(solution.key) as string));
  return { ok: verdicts.length > 0 && verdicts.every((v) => v.ok) && !run.timedOut, verdicts, wallMs: Date.now() - started };
}

function verdictOf(solution: Solution, run: RunOutcome, project: string, file: string): SolutionVerdict {
  const score = scoreOf(run, project, file);
  const module = run.modules.find((m) => m.file === file && m.project === project);
  const rates = (module?.tests ?? [])
    .filter((t) => t.grading?.kind === "simulation" && (t.grading.seedsFailed ?? 0) > 0)
    .map((t) => ({ test: t.grading?.test ?? t.name, failed: t.grading?.seedsFailed ?? 0, run: t.grading?.seedsRun ?? 0 }));
  const caughtBy = score?.failedTests[0];
  const base = { solution, rates, ...(score === undefined ? {} : { score }), ...(caughtBy === undefined ? {} : { caughtBy }) };
  if (score === undefined) return { ...base, ok: false, problem: "no results (did the suite run?)" };
  if (score.loadErrors.length > 0) return { ...base, ok: false, problem: `the suite did not load: ${score.loadErrors[0]}` };
  if (solution.expectation.correct) {
    const full = score.tests > 0 && score.passed === score.tests && score.points === score.total;
    return full ? { ...base, ok: true } : { ...base, ok: false, problem: `a correct solution scored ${score.points}/${score.total}; failing: ${score.failedTests.join("; ")}` };
  }
  return score.failedTests.length > 0 ? { ...base, ok: true } : { ...base, ok: false, problem: `a buggy solution passed every graded test (${solution.expectation.why})` };
}

export function formatCorpus(result: CorpusResult): string[] {
  const out: string[] = [];
  for (const v of result.verdicts) {
    const s = v.solution;
    const points = v.score === undefined ? "?" : `${v.score.points}/${v.score.total}`;
    const what = s.expectation.correct ? "correct" : "buggy  ";
    const outcome = s.expectation.correct ? (v.ok ? "full points" : "REJECTED") : v.ok ? `caught by "${v.caughtBy}"` : "NOT CAUGHT";
    out.push(`${v.ok ? "ok  " : "FAIL"} ${s.key.padEnd(20)} ${what} ${s.name.padEnd(36)} ${points.padStart(7)}  ${outcome}`);
    for (const r of v.rates) out.push(`       ${r.test}: failed ${r.failed} of ${r.run} seeds (${((100 * r.failed) / Math.max(1, r.run)).toFixed(0)}%)`);
    if (v.problem !== undefined) out.push(`       PROBLEM: ${v.problem}`);
  }
  const correct = result.verdicts.filter((v) => v.solution.expectation.correct);
  const buggy = result.verdicts.filter((v) => !v.solution.expectation.correct);
  out.push(
    `${result.ok ? "corpus holds" : "CORPUS FAILED"}: ${correct.filter((v) => v.ok).length}/${correct.length} correct solutions at full points, ` +
      `${buggy.filter((v) => v.ok).length}/${buggy.length} buggy solutions caught, ${(result.wallMs / 1000).toFixed(1)} s`,
  );
  return out;
}

// `npx tsx lessons/grading/corpus.ts [--lesson N]... [--match TEXT] [--fresh N] [--json FILE]`
if (isMain(import.meta.url)) {
  const { values } = parseArgs({
    options: {
      lesson: { type: "string", multiple: true },
      match: { type: "string" },
      fresh: { type: "string" },
      json: { type: "string" },
      help: { type: "boolean" },
    },
  });
  if (values.help) {
    console.log(
      [
        "Grade the solutions corpus (lessons/grading/solutions) through the normal harness.",
        "  --lesson N   only lesson N's exercises (repeatable)",
        "  --match TEXT only fixtures whose path contains TEXT",
        "  --fresh N    also N fresh seeds per simulation test, every seed and every test run: catch rates per test",
        "  --json FILE  write the verdicts as JSON",
      ].join("\n"),
    );
    process.exit(0);
  }
  const fresh = values.fresh === undefined ? 0 : Number(values.fresh);
  if (!Number.isInteger(fresh) || fresh < 0) {
    console.error(`--fresh must be a whole number >= 0, got "${values.fresh}"`);
    process.exit(2);
  }
  const lessons = values.lesson?.map(Number);
  if (lessons?.some((n) => !Number.isInteger(n))) {
    console.error(`--lesson takes lesson numbers, got ${values.lesson?.join(", ")}`);
    process.exit(2);
  }
  gradeCorpus({ fresh, log: (l) => console.error(l), ...(lessons === undefined ? {} : { lessons }), ...(values.match === undefined ? {} : { match: values.match }) })
    .then((result) => {
      for (const line of formatCorpus(result)) console.log(line);
      if (values.json) writeFileSync(values.json, JSON.stringify(result, null, 2));
      process.exit(result.ok ? 0 : 1);
    })
    .catch((e: unknown) => {
      console.error(e);
      process.exit(2);
    });
}
