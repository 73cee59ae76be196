// Turns graded test outcomes into the score: tests and points per exercise, and the table `npm run grade`, watch mode and a plain vitest run print.

import type { RunOutcome, TestOutcome } from "./collect.js";

export interface GradedTest {
  readonly name: string;
  readonly points: number;
  readonly passed: boolean;
  /** Not run at all: left out by a name filter (a replay), or held back behind an untouched stub's gate. */
  readonly skipped: boolean;
  readonly kind: "unit" | "simulation" | "exhaustive" | "unknown";
  readonly durationMs: number;
  readonly error?: string;
  readonly seedsRun?: number;
  readonly seedsFailed?: number;
  readonly failedSeeds?: readonly number[];
  readonly schedules: number;
  readonly virtualMs: number;
  /** Exhaustive tests: distinct states searched. */
  readonly distinctStates?: number;
  readonly replay?: string;
  readonly traceFile?: string;
}

export interface ExerciseScore {
  readonly lesson: number;
  readonly id: string;
  readonly title: string;
  /** The graded suite, relative to the lessons folder. */
  readonly file: string;
  /** The stub the student edits, relative to the lessons folder (when the suite reported it). */
  readonly stubFile?: string;
  readonly tests: readonly GradedTest[];
  readonly passed: number;
  readonly points: number;
  readonly total: number;
  /** Errors that stopped the test file before its tests ran. */
  readonly loadErrors: readonly string[];
  /** The suite could not run on this code yet (an untouched stub, a file that does not load): what to do. */
  readonly notReady?: string;
  readonly firstFailure?: string;
}

/** The graded suites' fingerprint (see hashes.ts): what an instructor compares to tell that nobody edited the tests. */
export interface SuitesFingerprint {
  readonly digest: string;
  /** The files match the list the course committed. */
  readonly matchesCourse: boolean;
  /** What differs, one sentence per file. */
  readonly differences: readonly string[];
}

export interface GradeReport {
  readonly impl: string;
  readonly lessons: readonly number[];
  readonly exercises: readonly ExerciseScore[];
  readonly points: number;
  readonly total: number;
  readonly testsPassed: number;
  readonly tests: number;
  readonly schedules: number;
  /** Virtual time simulated across all schedules (ms). */
  readonly virtualMs: number;
  /** Distinct states the exhaustive tests searched (absent when none ran). */
  readonly statesSearched?: number;
  readonly wallMs: number;
  readonly timedOut: boolean;
  readonly unhandledErrors: readonly string[];
  /** --seeds N: simulation seeds run and failed over the whole run. */
  readonly stress?: { readonly freshSeeds: number; readonly seedsRun: number; readonly seedsFailed: number };
  readonly suites?: SuitesFingerprint;
  readonly allPassed: boolean;
}

/** "[3 pt]" at the end of a test name: the points, readable even when a test never started. */
export function pointsFromName(name: string): number | undefined {
  const m = /\[(\d+) pts?\]\s*$/.exec(name);
  return m ? Number(m[1]) : undefined;
}

export function stripPoints(name: string): string {
  return name.replace(/\s*\[\d+ pts?\]\s*$/, "");
}

/** "05-leader-election/exercise/request-vote.test.ts" gives lesson 5 and exercise "request-vote". */
export function exerciseFromFile(file: string): { lesson: number; id: string } | undefined {
  const m = /(?:^|\/)(\d+)-[^/]+\/exercise\/(?:.*\/)?([^/]+)\.test\.ts$/.exec(file);
  return m ? { lesson: Number(m[1]), id: m[2] as string } : undefined;
}

function gradedTest(t: TestOutcome): GradedTest {
  const g = t.grading;
  return {
    name: g?.test ?? stripPoints(t.name),
    points: g?.points ?? pointsFromName(t.name) ?? 0,
    passed: t.state === "passed",
    skipped: t.state === "skipped",
    kind: g === undefined || g.kind === "gate" ? "unknown" : g.kind,
    durationMs: Math.round(t.durationMs),
    ...(t.state === "passed" ? {} : { error: t.error ?? (t.state === "pending" ? "did not finish (stopped by the grader's time limit)" : `did not run (${t.state})`) }),
    ...(g?.seedsRun === undefined ? {} : { seedsRun: g.seedsRun, seedsFailed: g.seedsFailed ?? 0, failedSeeds: g.failedSeeds ?? [] }),
    schedules: g?.schedules ?? 0,
    virtualMs: g?.virtualMs ?? 0,
    ...(g?.distinctStates === undefined ? {} : { distinctStates: g.distinctStates }),
    ...(g?.replay === undefined ? {} : { replay: g.replay }),
    ...(g?.traceFile === undefined ? {} : { traceFile: g.traceFile }),
  };
}

export function buildReport(run: RunOutcome, impl: string, lessons: readonly number[], stressSeeds?: number, suites?: SuitesFingerprint): GradeReport {
  const byKey = new Map<string, { lesson: number; id: string; title: string; file: string; stubFile?: string; tests: GradedTest[]; loadErrors: string[]; notReady?: string }>();
  for (const m of run.modules) {
    const where = exerciseFromFile(m.file);
    if (where === undefined) continue; // not a graded suite (the harness's own tests)
    const key = `${where.lesson}/${where.id}`;
    const entry = byKey.get(key) ?? { lesson: where.lesson, id: where.id, title: where.id, file: m.file, tests: [], loadErrors: [] };
    byKey.set(key, entry);
    entry.loadErrors.push(...m.errors);
    for (const t of m.tests) {
      if (t.grading?.exerciseTitle) entry.title = t.grading.exerciseTitle;
      if (t.grading?.stubFile) entry.stubFile = t.grading.stubFile;
      // The gate stands in for the suite; the graded tests it held back are listed (skipped) and count as not passed.
      if (t.grading?.kind === "gate") entry.notReady = t.error ?? t.name;
      else entry.tests.push(gradedTest(t));
    }
  }
  const exercises: ExerciseScore[] = [...byKey.values()]
    .sort((a, b) => a.lesson - b.lesson || a.id.localeCompare(b.id))
    .map((e) => {
      const failed = e.tests.find((t) => !t.passed);
      const firstFailure = e.loadErrors[0] ?? e.notReady ?? (failed === undefined ? undefined : `${failed.name} [${failed.points} pt]\n${failed.error ?? "failed"}`);
      return {
        ...e,
        passed: e.tests.filter((t) => t.passed).length,
        points: e.tests.filter((t) => t.passed).reduce((s, t) => s + t.points, 0),
        total: e.tests.reduce((s, t) => s + t.points, 0),
        ...(firstFailure === undefined ? {} : { firstFailure }),
      };
    });
  const all = exercises.flatMap((e) => e.tests);
  const sims = all.filter((t) => t.seedsRun !== undefined);
  const allPassed =
    exercises.length > 0 &&
    !run.timedOut &&
    run.unhandledErrors.length === 0 &&
    exercises.every((e) => e.loadErrors.length === 0 && e.notReady === undefined && e.tests.length > 0 && e.passed === e.tests.length);
  return {
    impl,
    lessons,
    exercises,
    points: exercises.reduce((s, e) => s + e.points, 0),
    total: exercises.reduce((s, e) => s + e.total, 0),
    testsPassed: all.filter((t) => t.passed).length,
    tests: all.length,
    schedules: all.reduce((s, t) => s + t.schedules, 0),
    virtualMs: all.reduce((s, t) => s + t.virtualMs, 0),
    ...(all.some((t) => t.distinctStates !== undefined) ? { statesSearched: all.reduce((s, t) => s + (t.distinctStates ?? 0), 0) } : {}),
    wallMs: Math.round(run.wallMs),
    timedOut: run.timedOut,
    unhandledErrors: run.unhandledErrors,
    ...(stressSeeds === undefined
      ? {}
      : { stress: { freshSeeds: stressSeeds, seedsRun: sims.reduce((s, t) => s + (t.seedsRun ?? 0), 0), seedsFailed: sims.reduce((s, t) => s + (t.seedsFailed ?? 0), 0) } }),
    ...(suites === undefined ? {} : { suites }),
    allPassed,
  };
}

export function oneLine(text: string, max: number): string {
  const line = text.split("\n").find((l) => l.trim() !== "") ?? "";
  const flat = line.replace(/\s+/g, " ").trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

export interface Style {
  readonly bold: (s: string) => string;
  readonly green: (s: string) => string;
  readonly red: (s: string) => string;
  readonly dim: (s: string) => string;
}

export const plainStyle: Style = { bold: (s) => s, green: (s) => s, red: (s) => s, dim: (s) => s };

export interface FormatOptions {
  readonly style?: Style;
  /** Terminal width for the "first failure" column. */
  readonly width?: number;
  /**
   * Brief: the table, the total and each exercise's replay command, for a plain vitest run whose own
   * reporter has already printed the failures. Otherwise every exercise's first failure follows in full.
   */
  readonly brief?: boolean;
}

/** The command that replays the exercise's first failing simulation or search, if one failed. */
function firstReplay(e: ExerciseScore): string | undefined {
  return e.tests.find((t) => !t.passed && t.replay !== undefined)?.replay;
}

/** The score table, one row per exercise, and under it the first failure of each exercise in full. */
export function formatReport(report: GradeReport, options: FormatOptions = {}): string[] {
  const style = options.style ?? plainStyle;
  const width = options.width ?? 100;
  const rows = report.exercises.map((e) => [
    String(e.lesson),
    `${e.title} (${e.id})`,
    `${e.passed}/${e.tests.length}`,
    `${e.points}/${e.total}`,
    e.loadErrors.length > 0 ? "does not load" : e.notReady === undefined && e.passed === e.tests.length && e.tests.length > 0 ? "ok" : oneLine(e.firstFailure ?? "", 200),
  ]);
  const head = ["lesson", "exercise", "tests", "points", "first failure"];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (i === 4 ? 0 : (r[i] as string).length))));
  const lastWidth = Math.max(20, width - widths.slice(0, 4).reduce((s, w) => s + w + 2, 0));
  const fmt = (cells: string[]) => cells.map((c, i) => (i === 4 ? (c.length > lastWidth ? `${c.slice(0, lastWidth - 1)}…` : c) : c.padEnd(widths[i] as number))).join("  ");
  const out: string[] = [];
  out.push(style.bold(`Grading ${report.impl === "student" ? "your code" : `the ${report.impl} implementation`}${report.lessons.length > 0 ? ` (lesson ${report.lessons.join(", ")})` : ""}`));
  out.push("");
  out.push(style.bold(fmt(head)));
  for (const [i, r] of rows.entries()) {
    const e = report.exercises[i] as ExerciseScore;
    const ok = e.loadErrors.length === 0 && e.notReady === undefined && e.passed === e.tests.length && e.tests.length > 0;
    out.push((ok ? style.green : style.red)(fmt(r)));
  }
  out.push("");
  const pct = report.total === 0 ? 0 : (100 * report.points) / report.total;
  out.push(style.bold(`Total: ${report.points}/${report.total} points (${pct.toFixed(0)}%), ${report.testsPassed}/${report.tests} tests passed, ${report.schedules} simulated fault schedules (${(report.virtualMs / 1000).toFixed(0)} s of virtual time), ${report.statesSearched === undefined ? "" : `${report.statesSearched} states searched exhaustively, `}${(report.wallMs / 1000).toFixed(1)} s`));
  if (report.stress) {
    const s = report.stress;
    const rate = s.seedsRun === 0 ? 0 : (100 * s.seedsFailed) / s.seedsRun;
    out.push(style.bold(`Stress (--seeds ${s.freshSeeds}): ${s.seedsFailed} of ${s.seedsRun} simulated seeds failed (${rate.toFixed(1)}%).${s.seedsFailed > 0 && s.seedsFailed < s.seedsRun ? " Failing on some seeds only is still failing: a flaky solution is a wrong solution." : ""}`));
    for (const e of report.exercises) {
      for (const t of e.tests) {
        if (t.seedsRun !== undefined && (t.seedsFailed ?? 0) > 0) out.push(style.red(`  ${e.lesson}/${e.id} · ${t.name}: failed ${t.seedsFailed} of ${t.seedsRun} seeds (${((100 * (t.seedsFailed ?? 0)) / t.seedsRun).toFixed(1)}%)`));
      }
    }
  }
  if (report.allPassed && report.stress === undefined && report.impl === "student") {
    out.push(style.green("Everything passes. Rare bugs hide in rare schedules: try `npm run grade -- --seeds 200` to run every simulation with 200 fresh seeds."));
  }
  if (report.timedOut) out.push(style.red("The run was stopped by the grader's overall time limit: a test file never finished."));
  for (const u of report.unhandledErrors) out.push(style.red(`Unhandled error: ${oneLine(u, 300)}`));
  if (report.suites !== undefined && !report.suites.matchesCourse) {
    out.push(style.red(`The graded suites differ from the course's (digest ${report.suites.digest.slice(0, 12)}): this score is not the course's.`));
    for (const d of report.suites.differences.slice(0, 10)) out.push(style.red(`  ${d}`));
  }
  const failing = report.exercises.filter((e) => e.firstFailure !== undefined);
  if (options.brief) {
    for (const e of failing) {
      const replay = firstReplay(e);
      if (replay !== undefined) out.push(style.dim(`Replay the first failing run of ${e.lesson}/${e.id}: ${replay}`));
    }
    return out;
  }
  if (failing.length > 0) {
    out.push("");
    out.push(style.bold("First failure of each exercise:"));
    for (const e of failing) {
      out.push("");
      out.push(style.red(`✗ Lesson ${e.lesson}, ${e.title}${e.stubFile === undefined ? ` (${e.file})` : `: edit lessons/${e.stubFile}`}`));
      for (const line of (e.firstFailure ?? "").split("\n")) out.push(`  ${line}`);
      // A unit case fails the same way every run; a simulation needs its seed, a search its trace: point at the first failing one.
      const replay = firstReplay(e);
      if (replay !== undefined && !(e.firstFailure ?? "").includes(replay)) out.push(style.dim(`  first failing simulation: ${replay}`));
    }
  }
  return out;
}
