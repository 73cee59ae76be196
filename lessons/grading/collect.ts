// Runs graded vitest suites through vitest's node API (once, or in watch mode) and returns every test's outcome with its grading facts.

import { execFileSync } from "node:child_process";
import { isAbsolute, join } from "node:path";
import type { TestCase, TestModule, Vitest } from "vitest/node";
import { LESSONS_DIR } from "./impl.js";
import { gradingMetaOf, type GradingMeta } from "./meta.js";

export interface TestOutcome {
  /** Module path relative to the lessons folder. */
  readonly file: string;
  /** Vitest project name ("" for the default project). */
  readonly project: string;
  readonly name: string;
  readonly fullName: string;
  readonly state: "passed" | "failed" | "skipped" | "pending";
  readonly error?: string;
  readonly durationMs: number;
  readonly grading?: GradingMeta;
}

export interface ModuleOutcome {
  readonly file: string;
  readonly project: string;
  /** Errors that stopped the module from running at all (a syntax error in a test file, say). */
  readonly errors: readonly string[];
  readonly tests: readonly TestOutcome[];
}

export interface RunOutcome {
  readonly modules: readonly ModuleOutcome[];
  readonly unhandledErrors: readonly string[];
  readonly wallMs: number;
  /** The watchdog stopped the run: some test file never finished. */
  readonly timedOut: boolean;
}

export interface RunOptions {
  /** File filters as on the vitest command line (e.g. "05-leader-election/exercise/"). Empty: every test file. */
  readonly filters?: readonly string[];
  /** Only tests whose full name matches (vitest's -t). */
  readonly testNamePattern?: RegExp;
  /** Environment for the workers (COURSE_IMPL, COURSE_FRESH_SEEDS...); restored afterwards. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** The lessons folder to run (default: this one); a copy elsewhere works the same. */
  readonly lessonsDir?: string;
  /** Vitest config file, absolute or relative to the lessons folder (default vitest.config.ts, the students' config). */
  readonly config?: string;
  /** Stop everything after this long (ms): a hang in a test file must not hang the caller. */
  readonly timeoutMs?: number;
  /** Called as each test finishes (for progress output). */
  readonly onTest?: (test: TestOutcome) => void;
  readonly maxWorkers?: number;
  /** Also write vitest's own JUnit report here (absolute path). */
  readonly junitFile?: string;
}

export const DEFAULT_CONFIG = join(LESSONS_DIR, "vitest.config.ts");

type RunError = { message?: string; stack?: string };

/** Sets variables (undefined: removes them) for the duration of a run; returns the function that puts the old values back. */
export function setEnv(env: Readonly<Record<string, string | undefined>> = {}): () => void {
  const saved = new Map<string, string | undefined>();
  for (const [k, v] of Object.entries(env)) {
    saved.set(k, process.env[k]);
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  return () => {
    for (const [k, v] of saved) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  };
}

async function startVitest(options: RunOptions, watch: boolean, reporter: object): Promise<Vitest> {
  const { createVitest } = await import("vitest/node");
  const dir = options.lessonsDir ?? LESSONS_DIR;
  const config = options.config === undefined ? join(dir, "vitest.config.ts") : isAbsolute(options.config) ? options.config : join(dir, options.config);
  // The students' config narrows itself to the lesson folder a command was typed in; the grader chooses with filters.
  const include = options.config === undefined ? { include: ["*/exercise/*.test.ts"] } : {};
  return createVitest(
    "test",
    {
      config,
      root: dir,
      ...include,
      watch,
      reporters: options.junitFile === undefined ? [reporter] : [reporter, ["junit", { suiteName: "npm run grade", classnameTemplate: "{filename}" }]],
      ...(options.junitFile === undefined ? {} : { outputFile: { junit: options.junitFile } }),
      ...(options.testNamePattern === undefined ? {} : { testNamePattern: options.testNamePattern }),
      ...(options.maxWorkers === undefined ? {} : { maxWorkers: options.maxWorkers }),
    },
    {},
    {},
  );
}

/** Run the suites and collect the results. Never throws for failing tests; throws only if vitest cannot start. */
export async function runGradedTests(options: RunOptions = {}): Promise<RunOutcome> {
  const restoreEnv = setEnv(options.env);
  const dir = options.lessonsDir ?? LESSONS_DIR;
  const started = process.hrtime.bigint();
  let ended: readonly TestModule[] = [];
  let unhandled: string[] = [];
  const onTest = options.onTest;
  const reporter = {
    onTestCaseResult(testCase: TestCase) {
      onTest?.(outcomeOf(testCase, dir));
    },
    onTestRunEnd(modules: readonly TestModule[], errors: readonly RunError[]) {
      ended = modules;
      unhandled = errors.map((e) => e.message ?? String(e));
    },
  };
  const exitCode = process.exitCode;
  let vitest: Vitest | undefined;
  let timedOut = false;
  let timer: NodeJS.Timeout | undefined;
  try {
    vitest = await startVitest(options, false, reporter);
    const running = vitest;
    const run = running.start([...(options.filters ?? [])]);
    const watchdog = new Promise<"timeout">((resolve) => {
      timer = setTimeout(() => resolve("timeout"), options.timeoutMs ?? 10 * 60_000);
      timer.unref?.();
    });
    const result = await Promise.race([run.then(() => "done" as const), watchdog]);
    if (result === "timeout") {
      timedOut = true;
      ended = running.state.getTestModules();
      // A worker stuck in a synchronous loop (a student file that never finishes loading) answers nothing:
      // stop the workers by force, then give vitest a moment to shut down.
      killChildProcesses();
      void running.cancelCurrentRun("keyboard-input").catch(() => undefined);
    }
  } finally {
    if (timer) clearTimeout(timer);
    if (vitest !== undefined) {
      const closing = vitest.close().catch(() => undefined);
      await Promise.race([closing, new Promise((resolve) => setTimeout(resolve, 5000).unref())]);
    }
    process.exitCode = exitCode;
    restoreEnv();
  }
  const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
  return { ...outcomeOfRun(ended, unhandled, dir), wallMs, timedOut };
}

export interface GradeWatch {
  /** Stop watching. */
  close(): Promise<void>;
}

/**
 * Vitest's watch mode: run the suites, then again whenever a test file, the student's file or anything they
 * import changes; `onRun` gets each run's outcome. The environment stays set until `close`.
 */
export async function watchGradedTests(options: RunOptions, onRun: (run: RunOutcome) => void): Promise<GradeWatch> {
  const restoreEnv = setEnv(options.env);
  const dir = options.lessonsDir ?? LESSONS_DIR;
  let started = process.hrtime.bigint();
  const reporter = {
    onTestRunStart() {
      started = process.hrtime.bigint();
    },
    onTestCaseResult(testCase: TestCase) {
      options.onTest?.(outcomeOf(testCase, dir));
    },
    onTestRunEnd(modules: readonly TestModule[], errors: readonly RunError[]) {
      const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
      onRun({ ...outcomeOfRun(modules, errors.map((e) => e.message ?? String(e)), dir), wallMs, timedOut: false });
    },
  };
  let vitest: Vitest;
  try {
    vitest = await startVitest(options, true, reporter);
    await vitest.start([...(options.filters ?? [])]);
  } catch (e) {
    restoreEnv();
    throw e;
  }
  return {
    async close() {
      await vitest.close();
      restoreEnv();
    },
  };
}

/** The outcome of finished test modules, paths relative to the lessons folder. */
export function outcomeOfRun(modules: readonly TestModule[], unhandledErrors: readonly string[], dir: string = LESSONS_DIR): Omit<RunOutcome, "wallMs" | "timedOut"> {
  return {
    modules: modules.map((m) => ({
      file: relativeToLessons(m.moduleId, dir),
      project: m.project.name,
      errors: m.errors().map((e) => e.message ?? String(e)),
      tests: [...m.children.allTests()].map((t) => outcomeOf(t, dir)),
    })),
    unhandledErrors,
  };
}

function outcomeOf(t: TestCase, dir: string): TestOutcome {
  const r = t.result();
  const error = r.state === "failed" ? (r.errors ?? []).map((e) => e.message ?? String(e)).join("\n") : undefined;
  const grading = gradingMetaOf(t.meta());
  return {
    file: relativeToLessons(t.module.moduleId, dir),
    project: t.project.name,
    name: t.name,
    fullName: t.fullName,
    state: r.state,
    ...(error === undefined ? {} : { error }),
    durationMs: t.diagnostic()?.duration ?? 0,
    ...(grading === undefined ? {} : { grading }),
  };
}

/** Vitest names modules with "/" on every OS; the lessons folder may come with "\" on Windows. */
function relativeToLessons(path: string, dir: string): string {
  const base = dir.replace(/\\/g, "/").replace(/\/?$/, "/");
  const file = path.replace(/\\/g, "/");
  return file.startsWith(base) ? file.slice(base.length) : file;
}

/** Kill this process's child processes (vitest's workers), for the watchdog. */
function killChildProcesses(): void {
  let pids: number[] = [];
  try {
    pids = execFileSync("pgrep", ["-P", String(process.pid)], { encoding: "utf8" }).split("\n").filter((l) => l.trim() !== "").map(Number);
  } catch {
    return; // no children, or no pgrep (Windows): vitest's own shutdown has to do
  }
  for (const pid of pids) {
    try {
      process.kill(pid, "SIGKILL");
    } catch {
      // already gone
    }
  }
}
