// Runs graded vitest suites through vitest's node API and returns every test's outcome with its grading facts.

import { execFileSync } from "node:child_process";
import { join } from "node:path";
import type { TestCase, TestModule } from "vitest/node";
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
  /** Environment for the workers (COURSE_IMPL, COURSE_FRESH_SEEDS...); restored afterwards. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Vitest config file, absolute or relative to the lessons folder (default vitest.config.ts). */
  readonly config?: string;
  /** Stop everything after this long (ms): a hang in a test file must not hang the caller. */
  readonly timeoutMs?: number;
  /** Called as each test finishes (for progress output). */
  readonly onTest?: (test: TestOutcome) => void;
  readonly maxWorkers?: number;
}

export const DEFAULT_CONFIG = join(LESSONS_DIR, "vitest.config.ts");

/** Run the suites and collect the results. Never throws for failing tests; throws only if vitest cannot start. */
export async function runGradedTests(options: RunOptions = {}): Promise<RunOutcome> {
  const { createVitest } = await import("vitest/node");
  const saved = new Map<string, string | undefined>();
  for (const [k, v] of Object.entries(options.env ?? {})) {
    saved.set(k, process.env[k]);
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  const started = process.hrtime.bigint();
  let ended: readonly TestModule[] = [];
  let unhandled: string[] = [];
  const onTest = options.onTest;
  const reporter = {
    onTestCaseResult(testCase: TestCase) {
      onTest?.(outcomeOf(testCase));
    },
    onTestRunEnd(modules: readonly TestModule[], errors: readonly { message?: string; stack?: string }[]) {
      ended = modules;
      unhandled = errors.map((e) => e.message ?? String(e));
    },
  };
  const exitCode = process.exitCode;
  const vitest = await createVitest(
    "test",
    {
      config: options.config === undefined ? DEFAULT_CONFIG : join(LESSONS_DIR, options.config),
      root: LESSONS_DIR,
      watch: false,
      reporters: [reporter],
      ...(options.maxWorkers === undefined ? {} : { maxWorkers: options.maxWorkers }),
    },
    {},
    {},
  );
  let timedOut = false;
  let timer: NodeJS.Timeout | undefined;
  try {
    const run = vitest.start([...(options.filters ?? [])]);
    const watchdog = new Promise<"timeout">((resolve) => {
      timer = setTimeout(() => resolve("timeout"), options.timeoutMs ?? 10 * 60_000);
      timer.unref?.();
    });
    const result = await Promise.race([run.then(() => "done" as const), watchdog]);
    if (result === "timeout") {
      timedOut = true;
      ended = vitest.state.getTestModules();
      // A worker stuck in a synchronous loop (a student file that never finishes loading) answers nothing:
      // stop the workers by force, then give vitest a moment to shut down.
      killChildProcesses();
      void vitest.cancelCurrentRun("keyboard-input").catch(() => undefined);
    }
  } finally {
    if (timer) clearTimeout(timer);
    await Promise.race([vitest.close().catch(() => undefined), new Promise((resolve) => setTimeout(resolve, 5000).unref())]);
    process.exitCode = exitCode;
    for (const [k, v] of saved) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
  const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
  const modules = ended.map((m) => ({
    file: relativeToLessons(m.moduleId),
    project: m.project.name,
    errors: m.errors().map((e) => e.message ?? String(e)),
    tests: [...m.children.allTests()].map(outcomeOf),
  }));
  return { modules, unhandledErrors: unhandled, wallMs, timedOut };
}

function outcomeOf(t: TestCase): TestOutcome {
  const r = t.result();
  const error = r.state === "failed" ? (r.errors ?? []).map((e) => e.message ?? String(e)).join("\n") : undefined;
  const grading = gradingMetaOf(t.meta());
  return {
    file: relativeToLessons(t.module.moduleId),
    project: t.project.name,
    name: t.name,
    fullName: t.fullName,
    state: r.state,
    ...(error === undefined ? {} : { error }),
    durationMs: t.diagnostic()?.duration ?? 0,
    ...(grading === undefined ? {} : { grading }),
  };
}

function relativeToLessons(path: string): string {
  return path.startsWith(LESSONS_DIR) ? path.slice(LESSONS_DIR.length) : path;
}

/** Kill this process's child processes (vitest's workers), for the watchdog. */
function killChildProcesses(): void {
  let pids: number[] = [];
  try {
    pids = execFileSync("pgrep", ["-P", String(process.pid)], { encoding: "utf8" }).split("\n").filter((l) => l.trim() !== "").map(Number);
  } catch {
    return; // no children, or no pgrep: nothing more we can do
  }
  for (const pid of pids) {
    try {
      process.kill(pid, "SIGKILL");
    } catch {
      // already gone
    }
  }
}
