// `npm run grade [N]`: runs the graded suites on the student's code and prints a score table (JSON/JUnit on request).

import { existsSync, readdirSync, writeFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import { join, resolve } from "node:path";
import pc from "picocolors";
import { DEFAULT_FRESH_SEEDS, LESSONS_DIR, runGradedTests, type TestOutcome } from "@course/lessons/grading/index.js";
import { buildReport, formatReport, jsonReport, junitReport, type GradeReport } from "./grade-report.js";
import { describeOptions, parseInteger, parseNpmArgs, runIfMain, UsageError, withUsageErrors, type OptionSpecs } from "./npm-args.js";

const OPTIONS: OptionSpecs = {
  json: { type: "string", value: "FILE", description: "also write the score as JSON to FILE (for a classroom autograder)" },
  junit: { type: "string", value: "FILE", description: "also write the score as JUnit XML to FILE" },
  seeds: { type: "string", value: "N", description: "stress mode: run every simulation test with N extra fresh seeds and report the failure rate" },
  impl: { type: "string", value: "WHICH", description: "grade another implementation: student (default), reference or mutant:<name>" },
  help: { type: "boolean", short: "h", description: "show this help" },
};

const USAGE = `usage: npm run grade [N] [-- options]

  npm run grade                      grade every exercise
  npm run grade 5                    grade lesson 5's exercises only
  npm run grade 5 -- --seeds 50      also run each simulation with 50 fresh seeds; report the failure rate
  npm run grade -- --json score.json --junit score.xml

Edit the stub files in lessons/NN-*/exercise/ and grade again. A failing simulation prints a command
that replays exactly that run and writes its trace under lessons/.grade-traces/.

options:
${describeOptions(OPTIONS)}`;

/** The whole grading run may not take longer than this (one lesson, every lesson); a hung test file is reported, not waited for. */
const LESSON_TIME_LIMIT_MS = 3 * 60_000;
const OVERALL_TIME_LIMIT_MS = 8 * 60_000;

export interface GradeArgs {
  readonly lesson?: number;
  readonly json?: string;
  readonly junit?: string;
  readonly seeds?: number;
  readonly impl: string;
  readonly help: boolean;
}

export function parseGradeArgs(argv: readonly string[], env: NodeJS.ProcessEnv): GradeArgs {
  const { values, positionals } = parseNpmArgs(argv, OPTIONS, env, "grade", 1);
  const lessonArg = positionals[0];
  if (lessonArg !== undefined && !/^\d+$/.test(lessonArg)) throw new UsageError(`"${lessonArg}" is not a lesson number, for example: npm run grade 5`);
  const seeds = parseInteger(values.seeds, "seeds", 1);
  const impl = typeof values.impl === "string" ? values.impl : "student";
  if (!/^(student|reference|mutant:[a-z0-9-]+)$/.test(impl)) throw new UsageError(`--impl must be student, reference or mutant:<name>, got "${impl}"`);
  return {
    ...(lessonArg === undefined ? {} : { lesson: Number(lessonArg) }),
    ...(typeof values.json === "string" ? { json: values.json } : {}),
    ...(typeof values.junit === "string" ? { junit: values.junit } : {}),
    ...(seeds === undefined ? {} : { seeds }),
    impl,
    help: values.help === true,
  };
}

/** Lesson folders that have an exercise, by lesson number: { 2: "02-basic-paxos", ... }. */
export function exerciseFolders(dir: string = LESSONS_DIR): Map<number, string> {
  const out = new Map<number, string>();
  for (const name of readdirSync(dir).sort()) {
    const m = /^(\d+)-/.exec(name);
    if (m && existsSync(join(dir, name, "exercise"))) out.set(Number(m[1]), name);
  }
  return out;
}

function progress(test: TestOutcome): void {
  if (!test.grading && !/\[\d+ pts?\]$/.test(test.name)) return;
  process.stderr.write(test.state === "passed" ? pc.green(".") : pc.red("x"));
}

export async function grade(args: GradeArgs): Promise<GradeReport> {
  const folders = exerciseFolders();
  let filters: string[];
  if (args.lesson !== undefined) {
    const folder = folders.get(args.lesson);
    if (folder === undefined) throw new UsageError(`lesson ${args.lesson} has no exercise; lessons with exercises: ${[...folders.keys()].join(", ") || "none yet"}`);
    filters = [`${folder}/exercise/`];
  } else {
    filters = [...folders.values()].map((f) => `${f}/exercise/`);
  }
  if (filters.length === 0) throw new UsageError("there are no exercises yet");
  const env: Record<string, string | undefined> = {
    COURSE_IMPL: args.impl,
    COURSE_SEED: undefined,
    COURSE_IMPL_MAP: undefined,
    COURSE_FRESH_SEEDS: String(args.seeds ?? DEFAULT_FRESH_SEEDS),
    COURSE_STRESS: args.seeds === undefined ? undefined : "1",
  };
  let run;
  try {
    // Vitest leaves one core to its main process by default; here the main process only waits, so use them all.
    // Stress mode runs many more seeds: allow about a second per extra seed.
    const timeoutMs = (args.lesson === undefined ? OVERALL_TIME_LIMIT_MS : LESSON_TIME_LIMIT_MS) + (args.seeds ?? 0) * 1000;
    run = await runGradedTests({ filters, env, timeoutMs, onTest: progress, maxWorkers: availableParallelism() });
  } catch (e) {
    if ((e as { code?: string }).code === "VITEST_FILES_NOT_FOUND") throw new UsageError(`no graded suites (*.test.ts) found in ${filters.join(", ")}`);
    throw e;
  }
  process.stderr.write("\n");
  return buildReport(run, args.impl, args.lesson === undefined ? [] : [args.lesson], args.seeds);
}

export async function main(argv: readonly string[], env: NodeJS.ProcessEnv, out: (line: string) => void = console.log): Promise<number> {
  return withUsageErrors(async () => {
    const args = parseGradeArgs(argv, env);
    if (args.help) {
      out(USAGE);
      return 0;
    }
    const report = await grade(args);
    const style = { bold: pc.bold, green: pc.green, red: pc.red, dim: pc.dim };
    for (const line of formatReport(report, style, process.stdout.columns ?? 120)) out(line);
    // npm runs scripts from the repository root; a relative path means relative to where the user typed the command.
    const where = (file: string) => resolve(env.INIT_CWD ?? process.cwd(), file);
    if (args.json) {
      writeFileSync(where(args.json), jsonReport(report));
      out(pc.dim(`JSON report written to ${where(args.json)}`));
    }
    if (args.junit) {
      writeFileSync(where(args.junit), junitReport(report));
      out(pc.dim(`JUnit report written to ${where(args.junit)}`));
    }
    return report.allPassed ? 0 : 1;
  });
}

runIfMain(import.meta.url, main);
