// `npm run grade [N]`: runs the graded suites on the student's code and prints a score table (reports, watch mode, replays and hash checks on request).

import { appendFileSync, existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import { join, resolve } from "node:path";
import pc from "picocolors";
import {
  buildReport,
  checkHashes,
  DEFAULT_FRESH_SEEDS,
  describeCheck,
  formatReplay,
  formatReport,
  LESSONS_DIR,
  MANIFEST_FILE,
  readManifest,
  runGradedTests,
  watchGradedTests,
  type GradeReport,
  type GradeWatch,
  type RunOptions,
  type SuitesFingerprint,
  type TestOutcome,
} from "@course/lessons/grading/index.js";
import { classroomOutputs, jsonReport, markdownSummary } from "./grade-report.js";
import { describeOptions, parseInteger, parseNpmArgs, runIfMain, UsageError, withUsageErrors, type OptionSpecs } from "./npm-args.js";

const OPTIONS: OptionSpecs = {
  watch: { type: "boolean", short: "w", description: "grade again every time a file is saved (vitest's watch mode); Ctrl-C stops" },
  seeds: { type: "string", value: "N", description: "stress mode: run every simulation test with N extra fresh seeds and report the failure rate" },
  seed: { type: "string", value: "N", description: "replay: run only seed N of each simulation test and write its trace (a failure prints this command)" },
  faults: { type: "string", value: "LIST", description: "with --seed: keep only these fault episodes, e.g. 1,4 or none (a shrunk replay)" },
  test: { type: "string", short: "t", value: "NAME", description: "only the graded tests whose name contains NAME" },
  impl: { type: "string", value: "WHICH", description: "grade another implementation: student (default), reference, mutant:<name> or file:<path> (a file written like the stub, relative to lessons/)" },
  json: { type: "string", value: "FILE", description: "also write the score as JSON to FILE (with the graded suites' digest)" },
  junit: { type: "string", value: "FILE", description: "also write vitest's JUnit XML report to FILE (points in the test names)" },
  summary: { type: "string", value: "FILE", description: "append a Markdown score table to FILE (CI: $GITHUB_STEP_SUMMARY)" },
  classroom: { type: "string", value: "FILE", description: "append each lesson's points for GitHub Classroom's grading reporter to FILE (CI: $GITHUB_OUTPUT)" },
  verify: { type: "boolean", description: "check that the graded suites match the hashes the course committed, then exit" },
  "verify-report": { type: "string", value: "FILE", description: "check that a JSON report was made with the course's graded suites, then exit" },
  help: { type: "boolean", short: "h", description: "show this help" },
};

const USAGE = `usage: npm run grade [N] [-- options]

  npm run grade                      grade every exercise
  npm run grade 5                    grade lesson 5's exercises only
  npm run grade 6 -- --watch         grade lesson 6 again on every save
  npm run grade 5 -- --seeds 50      also run each simulation with 50 fresh seeds; report the failure rate
  npm run grade 5 -- --seed 17 --test "NAME"     replay one failing run (a failure prints this line)
  npm run grade -- --json score.json --junit score.xml
  npm run grade -- --verify          are the graded suites the course's own?

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
  readonly summary?: string;
  readonly classroom?: string;
  readonly seeds?: number;
  readonly seed?: number;
  readonly faults?: string;
  readonly test?: string;
  readonly watch?: boolean;
  readonly verify?: boolean;
  readonly verifyReport?: string;
  readonly impl: string;
  readonly help: boolean;
}

export function parseGradeArgs(argv: readonly string[], env: NodeJS.ProcessEnv): GradeArgs {
  const { values, positionals } = parseNpmArgs(argv, OPTIONS, env, "grade", 1);
  const lessonArg = positionals[0];
  if (lessonArg !== undefined && !/^\d+$/.test(lessonArg)) throw new UsageError(`"${lessonArg}" is not a lesson number, for example: npm run grade 5`);
  const seeds = parseInteger(values.seeds, "seeds", 1);
  const seed = parseInteger(values.seed, "seed", 0);
  const impl = typeof values.impl === "string" ? values.impl : "student";
  if (!/^(student|reference|mutant:[a-z0-9-]+|file:\S+)$/.test(impl)) throw new UsageError(`--impl must be student, reference, mutant:<name> or file:<path>, got "${impl}"`);
  const faults = typeof values.faults === "string" ? values.faults.trim() : undefined;
  if (faults !== undefined && seed === undefined) throw new UsageError("--faults only makes sense with --seed N (it shrinks the replay of one seed)");
  if (faults !== undefined && !/^(none|\d+(,\d+)*)$/.test(faults)) throw new UsageError(`--faults must be "none" or episode numbers like 1,4, got "${faults}"`);
  if (seed !== undefined && seeds !== undefined) throw new UsageError("--seed replays one seed; --seeds runs many fresh ones: use one of them");
  const str = (name: string) => (typeof values[name] === "string" ? (values[name] as string) : undefined);
  const picked = {
    json: str("json"),
    junit: str("junit"),
    summary: str("summary"),
    classroom: str("classroom"),
    test: str("test"),
    verifyReport: str("verify-report"),
    faults,
    seeds,
    seed,
    ...(values.watch === true ? { watch: true } : {}),
    ...(values.verify === true ? { verify: true } : {}),
  };
  return {
    ...(lessonArg === undefined ? {} : { lesson: Number(lessonArg) }),
    ...(Object.fromEntries(Object.entries(picked).filter(([, v]) => v !== undefined)) as Partial<GradeArgs>),
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
  process.stderr.write(test.state === "passed" ? pc.green(".") : test.state === "skipped" ? pc.dim("-") : pc.red("x"));
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** What to run: the lesson's (or every) exercise folder, the environment the suites read, the name filter. */
export function runPlan(args: GradeArgs, lessonsDir: string = LESSONS_DIR): RunOptions {
  const folders = exerciseFolders(lessonsDir);
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
    COURSE_SEED: args.seed === undefined ? undefined : String(args.seed),
    COURSE_FAULTS: args.faults,
    COURSE_IMPL_MAP: undefined,
    COURSE_GATE: undefined,
    COURSE_FRESH_SEEDS: String(args.seeds ?? DEFAULT_FRESH_SEEDS),
    COURSE_STRESS: args.seeds === undefined ? undefined : "1",
  };
  return {
    lessonsDir,
    filters,
    env,
    ...(args.test === undefined ? {} : { testNamePattern: new RegExp(escapeRegex(args.test)) }),
    // Vitest leaves one core to its main process by default; here the main process only waits, so use them all.
    maxWorkers: availableParallelism(),
  };
}

/** The graded suites compared with the course's committed hashes, for the report. */
export function fingerprint(lessonsDir: string = LESSONS_DIR): SuitesFingerprint {
  const check = checkHashes(lessonsDir);
  return { digest: check.digest, matchesCourse: check.ok, differences: describeCheck(check) };
}

export async function grade(args: GradeArgs, lessonsDir: string = LESSONS_DIR): Promise<GradeReport> {
  const plan = runPlan(args, lessonsDir);
  let run;
  try {
    // Stress mode runs many more seeds: allow about a second per extra seed.
    const timeoutMs = (args.lesson === undefined ? OVERALL_TIME_LIMIT_MS : LESSON_TIME_LIMIT_MS) + (args.seeds ?? 0) * 1000;
    run = await runGradedTests({ ...plan, timeoutMs, onTest: progress, ...(args.junit === undefined ? {} : { junitFile: args.junit }) });
  } catch (e) {
    if ((e as { code?: string }).code === "VITEST_FILES_NOT_FOUND") throw new UsageError(`no graded suites (*.test.ts) found in ${plan.filters?.join(", ")}`);
    throw e;
  }
  process.stderr.write("\n");
  return buildReport(run, args.impl, args.lesson === undefined ? [] : [args.lesson], args.seeds, fingerprint(lessonsDir));
}

const STYLE = { bold: pc.bold, green: pc.green, red: pc.red, dim: pc.dim };

/** Vitest's watch mode on the plan's suites: a report after the first run and after every save. */
export function startWatch(args: GradeArgs, onReport: (report: GradeReport) => void, lessonsDir: string = LESSONS_DIR): Promise<GradeWatch> {
  const plan = runPlan(args, lessonsDir);
  return watchGradedTests({ ...plan, onTest: progress }, (run) => onReport(buildReport(run, args.impl, args.lesson === undefined ? [] : [args.lesson])));
}

/** `--watch`: the score and the first failures after every run; resolves when the process is asked to stop. */
async function watch(args: GradeArgs, out: (line: string) => void): Promise<number> {
  const folders = runPlan(args).filters ?? [];
  const handle = await startWatch(args, (report) => {
    process.stderr.write("\n");
    for (const line of formatReport(report, { style: STYLE, width: process.stdout.columns ?? 120 })) out(line);
    out(pc.dim(`\nWatching lessons/${folders.join(", lessons/")}: save a file to grade again, Ctrl-C to stop.`));
  });
  await new Promise<void>((done) => {
    process.once("SIGINT", done);
    process.once("SIGTERM", done);
  });
  await handle.close();
  return 0;
}

/** `--verify` and `--verify-report FILE`: compare with the hashes the course committed. */
function verify(args: GradeArgs, out: (line: string) => void, where: (file: string) => string): number {
  if (args.verifyReport !== undefined) {
    const committed = readManifest();
    if (committed === undefined) throw new UsageError(`lessons/${MANIFEST_FILE} is missing: nothing to compare the report with`);
    let report: { suites?: SuitesFingerprint };
    try {
      report = JSON.parse(readFileSync(where(args.verifyReport), "utf8")) as { suites?: SuitesFingerprint };
    } catch (e) {
      throw new UsageError(`cannot read the report ${args.verifyReport}: ${(e as Error).message}`);
    }
    const digest = report.suites?.digest;
    if (digest === committed.digest && report.suites?.matchesCourse === true) {
      out(pc.green(`${args.verifyReport}: graded with the course's suites (digest ${digest}).`));
      return 0;
    }
    out(pc.red(`${args.verifyReport}: NOT graded with the course's suites (report digest ${digest ?? "missing"}, course digest ${committed.digest}).`));
    for (const d of report.suites?.differences ?? []) out(pc.red(`  ${d}`));
    return 1;
  }
  const check = checkHashes();
  for (const line of describeCheck(check)) out(pc.red(line));
  out(check.ok ? pc.green(`The graded suites match the course's (digest ${check.digest}).`) : pc.red(`The graded suites differ from the course's (digest ${check.digest}, expected ${check.expected ?? "none"}).`));
  return check.ok ? 0 : 1;
}

export async function main(argv: readonly string[], env: NodeJS.ProcessEnv, out: (line: string) => void = console.log): Promise<number> {
  return withUsageErrors(async () => {
    const args = parseGradeArgs(argv, env);
    if (args.help) {
      out(USAGE);
      return 0;
    }
    // npm runs scripts from the package folder; a relative path means relative to where the user typed the command.
    const where = (file: string) => resolve(env.INIT_CWD ?? process.cwd(), file);
    if (args.verify === true || args.verifyReport !== undefined) return verify(args, out, where);
    if (args.watch === true) return watch(args, out);
    const report = await grade({ ...args, ...(args.junit === undefined ? {} : { junit: where(args.junit) }) });
    // A replay (--test) runs a few tests on purpose: report those, not a score with every other test missing.
    const replay = args.test === undefined ? undefined : formatReplay(report, args.test, STYLE);
    for (const line of replay?.lines ?? formatReport(report, { style: STYLE, width: process.stdout.columns ?? 120 })) out(line);
    if (args.json) {
      writeFileSync(where(args.json), jsonReport(report));
      out(pc.dim(`JSON report written to ${where(args.json)}`));
    }
    if (args.junit) {
      const file = where(args.junit);
      out(existsSync(file) ? pc.dim(`JUnit report written to ${file}`) : pc.red(`No JUnit report: vitest did not finish the run (${file})`));
    }
    if (args.summary) appendFileSync(where(args.summary), markdownSummary(report));
    if (args.classroom) appendFileSync(where(args.classroom), classroomOutputs(report));
    return (replay?.passed ?? report.allPassed) ? 0 : 1;
  });
}

runIfMain(import.meta.url, main);
