// The graded-suite API: unit cases and whole-cluster simulations, each worth points, each failing with a clear story.

import { describe, test } from "vitest";
import { Simulation, type Message, type ScheduledFault, type SimulationSpec } from "@course/sim";
import { exerciseKey, type Exercise, type RuleSet } from "./exercise.js";
import { describeChoice, implChoiceFor, implementation, preview, StudentCodeError, unwrittenFunctions } from "./impl.js";
import { setGradingMeta, type GradingMeta } from "./meta.js";
import { DEFAULT_FRESH_SEEDS, seedPlan } from "./seeds.js";
import { CONFIRM_FACTOR, withConfirmedTimeLimit, withTimeLimit } from "./guard.js";
import { writeFailureTrace } from "./traces.js";
import { describeEpisodes, episodesOf, keepEpisodes, shrinkEpisodes } from "./shrink.js";
import { runSearches, SEARCH_TIME_LIMIT_MS } from "./exhaustive.js";

/** Wall-clock limit for one unit case (the rule itself should take microseconds). */
export const UNIT_TIME_LIMIT_MS = 500;
/** Default wall-clock limit for one simulated seed. */
export const SEED_TIME_LIMIT_MS = 3000;

/** A simulation that ran too many events before its deadline: usually a livelock the student's rule causes. */
export class StepLimitError extends Error {
  override name = "StepLimitError";
}

/** What a simulation test's body gets for one seed. */
export class SeedRun {
  private current: Simulation<Message> | undefined;
  /** The random fault schedule the run drew (before any episodes were dropped), if it used `faults`. */
  schedule: readonly ScheduledFault[] | undefined;
  constructor(
    readonly seed: number,
    /** True when the trace is kept (a replay, or the re-run of a failing seed); bulk runs do not record. */
    readonly record: boolean,
    /** Only these fault episodes happen (see shrink.ts); undefined: all of them. */
    readonly keep?: ReadonlySet<number>,
  ) {}

  /** Pass the run's random fault schedule through here, so that a failing run can be shrunk and replayed shrunk. */
  faults(schedule: readonly ScheduledFault[]): ScheduledFault[] {
    this.schedule = schedule;
    return this.keep === undefined ? [...schedule] : keepEpisodes(schedule, this.keep);
  }

  /** Build the run's simulation with this seed. */
  simulate<M extends Message>(spec: Omit<SimulationSpec<M>, "seed" | "record">): Simulation<M> {
    const sim = new Simulation<M>({ ...spec, seed: this.seed, record: this.record });
    this.current = sim as unknown as Simulation<Message>;
    return sim;
  }

  /** Register a simulation built elsewhere (a scripted scenario), so its trace is written if the run fails. */
  track<M extends Message>(sim: Simulation<M>): Simulation<M> {
    this.current = sim as unknown as Simulation<Message>;
    return sim;
  }

  get simulation(): Simulation<Message> | undefined {
    return this.current;
  }

  /**
   * Run `ms` more virtual milliseconds, but at most `maxSteps` events: a cluster that keeps exchanging
   * messages without time moving on is livelocked, and that fails fast instead of burning the time limit.
   */
  drive<M extends Message>(sim: Simulation<M>, ms: number, maxSteps: number): void {
    const start = sim.stepCount;
    const deadline = sim.now + ms;
    sim.runUntil(() => false, { timeout: ms, maxSteps });
    if (!sim.stopped && sim.stepCount - start >= maxSteps && sim.now < deadline) {
      throw new StepLimitError(`the cluster ran ${maxSteps} events but virtual time only reached ${Math.round(sim.now)} ms of ${Math.round(deadline)} ms: messages are bouncing back and forth without progress (a livelock?)`);
    }
  }
}

export interface SimulationTest<F extends RuleSet> {
  /** Fixed regression seeds 1..n (default 20). */
  readonly seeds?: number;
  /** At most this many fresh random seeds per run (the run offers DEFAULT_FRESH_SEEDS, or COURSE_FRESH_SEEDS). */
  readonly fresh?: number;
  /** Wall-clock limit per seed in ms. */
  readonly perSeedMs?: number;
  /** Protocol name written into trace files, for the viewer. */
  readonly protocol: string;
  /** What to look at first when this test fails. */
  readonly hint: string;
  /**
   * Build and drive one run with the implementation under test. Invariant checkers go in the simulation's
   * hooks (they stop the run on the first violation); return a sentence for any end-of-run failure
   * (nothing chosen, no leader...), or undefined when the run is fine.
   */
  run(impl: F, run: SeedRun): string | undefined;
}

export interface Grader<F extends RuleSet> {
  /** A unit case worth `points`: call the function on chosen inputs; fail with expectRule/fail from ./failure.js. */
  unit(points: number, name: string, body: (impl: F) => void): void;
  /** A whole-cluster simulation over many seeds, worth `points`. */
  simulation(points: number, name: string, spec: SimulationTest<F>): void;
  /**
   * The exercise's bounded exhaustive search (`search` of its definition: every schedule of a small cluster) with
   * the functions in the reference node, worth `points`.
   */
  exhaustive(points: number, name: string): void;
}

/** A graded test recorded by the suite's body, declared once the suite knows whether it can run. */
interface Declared {
  readonly title: string;
  readonly points: number;
  readonly declare: () => void;
}

/**
 * Declare the graded suite of one exercise. The describe block names the lesson, the exercise and its points.
 * On the student's code, a stub nobody has started (or a file that does not load) gives one failing test that
 * says which file to edit, and the graded tests show as skipped, instead of every test failing the same way.
 */
export function gradedSuite<F extends RuleSet>(exercise: Exercise<F>, body: (grader: Grader<F>) => void): void {
  const declared: Declared[] = [];
  body(makeGrader(exercise, declared));
  const total = declared.reduce((s, d) => s + d.points, 0);
  describe(`Lesson ${exercise.lesson}: ${exercise.title} (${exerciseKey(exercise)}, ${total} pt)`, async () => {
    const gate = await gateOf(exercise, declared.length, total);
    if (gate === undefined) {
      for (const d of declared) d.declare();
      return;
    }
    test(gate.name, ({ task }) => {
      setGradingMeta(task.meta, { ...baseMeta(exercise, gate.name, 1, "gate"), points: 0 });
      const err = new Error(gate.message);
      err.name = "NotReady";
      err.stack = `${err.name}: ${err.message}`; // the message is the whole story; a stack into the harness only distracts
      throw err;
    });
    for (const d of declared) test.skip(d.title, () => undefined);
  });
}

/** Why the suite cannot run on the student's code yet, or undefined when it can (or another implementation is bound). */
async function gateOf(exercise: Exercise, tests: number, points: number): Promise<{ name: string; message: string } | undefined> {
  // The proof's run on the untouched stub sets COURSE_GATE=off: it must see every graded test fail on its own.
  if (implChoiceFor(exercise).kind !== "student" || process.env.COURSE_GATE === "off") return undefined;
  const file = `lessons/${exercise.stubFile}`;
  let unwritten: string[];
  try {
    unwritten = await unwrittenFunctions(exercise);
  } catch (e) {
    if (!(e instanceof StudentCodeError)) throw e;
    return { name: `cannot grade yet: fix ${file}`, message: `cannot grade yet: fix ${file}\n  ${e.message}\n  The ${tests} graded tests (${points} points) run once it loads.` };
  }
  if (unwritten.length < exercise.functions.length) return undefined;
  const names = unwritten.join(" and ");
  return {
    name: `not implemented yet: edit ${file}`,
    message: [
      `not implemented yet: edit ${file}`,
      `  ${names} still ${unwritten.length === 1 ? "throws" : "throw"} the stub's TODO error. Write the rule the doc comment describes;`,
      `  the ${tests} graded tests (${points} points) run as soon as ${unwritten.length === 1 ? "it does" : "one of them does"} something else.`,
    ].join("\n"),
  };
}

/** Characters a shell would read inside double quotes: a test name must not have them, so its replay command copies and pastes anywhere. */
const SHELL_SPECIAL = /["$`%!\\]/;

function baseMeta(exercise: Exercise, name: string, points: number, kind: GradingMeta["kind"]): GradingMeta {
  if (!(Number.isInteger(points) && points > 0)) throw new Error(`points must be a whole number > 0, got ${points} for "${name}"`);
  if (SHELL_SPECIAL.test(name)) throw new Error(`test name "${name}" has a character a shell would interpret (" $ \` % ! \\): its replay command would not paste`);
  return { lesson: exercise.lesson, exercise: exercise.id, exerciseTitle: exercise.title, stubFile: exercise.stubFile, test: name, points, kind };
}

// The proof only needs one failing test per mutant: with COURSE_PROOF_BAIL=1 the rest of the file is skipped
// after the first failure (each test file runs in its own module scope, so this flag is per file).
let failedInThisFile = false;
const bailing = () => process.env.COURSE_PROOF_BAIL === "1" && failedInThisFile;

async function noting<T>(body: () => Promise<T>): Promise<T> {
  try {
    return await body();
  } catch (e) {
    failedInThisFile = true;
    throw e;
  }
}

function makeGrader<F extends RuleSet>(exercise: Exercise<F>, declared: Declared[]): Grader<F> {
  const record = (name: string, points: number, declare: (title: string) => void) => {
    const title = `${name} [${points} pt]`;
    declared.push({ title, points, declare: () => declare(title) });
  };
  /** Declares a graded test: its grading facts on the task, skipped in a proof run once the file has failed. */
  const graded = (name: string, points: number, kind: GradingMeta["kind"], timeout: number | undefined, run: (m: GradingMeta) => Promise<void>) => {
    const meta = baseMeta(exercise, name, points, kind);
    record(name, points, (title) =>
      test(
        title,
        async ({ task, skip }) => {
          const m = setGradingMeta(task.meta, { ...meta });
          if (bailing()) return skip("an earlier test already failed (proof run)");
          if (process.env.COURSE_ONLY_KIND !== undefined && process.env.COURSE_ONLY_KIND !== kind) return skip(`this proof run checks ${process.env.COURSE_ONLY_KIND} tests alone`);
          await noting(() => run(m));
        },
        timeout,
      ),
    );
  };
  return {
    unit(points, name, body) {
      graded(name, points, "unit", undefined, async () => {
        const impl = await implementation(exercise);
        withConfirmedTimeLimit(() => body(impl), UNIT_TIME_LIMIT_MS, `"${name}"`);
      });
    },
    simulation(points, name, spec) {
      const seedsFixed = spec.seeds ?? 20;
      const perSeedMs = spec.perSeedMs ?? SEED_TIME_LIMIT_MS;
      // The vitest timeout is the last line of defence; each seed has its own, much shorter limit.
      const timeout = Math.max(30_000, seedPlan(seedsFixed, DEFAULT_FRESH_SEEDS, process.env, spec.fresh).seeds.length * perSeedMs + CONFIRM_FACTOR * perSeedMs + 10_000);
      graded(name, points, "simulation", timeout, (m) => runSimulationTest(m, spec, seedsFixed, perSeedMs));
    },
    exhaustive(points, name) {
      const spec = exercise.search;
      if (spec === undefined) throw new Error(`exercise ${exerciseKey(exercise)} has an exhaustive test but no search in its definition`);
      // The searches' own limits come first; the vitest timeout only catches what they cannot.
      graded(name, points, "exhaustive", (CONFIRM_FACTOR + 1) * SEARCH_TIME_LIMIT_MS * 2 + 10_000, async (m) => {
        const failure = runSearches(exercise, name, spec, await implementation(exercise), m);
        if (failure !== undefined) throw failure;
      });
    },
  };

  async function runSimulationTest(m: GradingMeta, spec: SimulationTest<F>, seedsFixed: number, perSeedMs: number): Promise<void> {
    const name = m.test;
    const impl = await implementation(exercise);
    const plan = seedPlan(seedsFixed, DEFAULT_FRESH_SEEDS, process.env, spec.fresh);
    const failures: { seed: number; message: string }[] = [];
    let schedules = 0;
    let virtualMs = 0;
    let replayed: Simulation<Message> | undefined;
    const replayKeep = plan.replay ? keptFromEnv() : undefined;
    for (const seed of plan.seeds) {
      let run = new SeedRun(seed, plan.replay, replayKeep);
      let failure = attempt(spec, impl, run, perSeedMs);
      if (failure?.name === "TimeLimitError") {
        // A busy machine can starve a correct run past its limit: the time-out counts only if a fresh run of the
        // same seed also outlasts a limit CONFIRM_FACTOR times longer (a loop that never ends outlasts any limit).
        run = new SeedRun(seed, plan.replay, replayKeep);
        failure = attempt(spec, impl, run, perSeedMs * CONFIRM_FACTOR);
      }
      schedules++;
      virtualMs += run.simulation?.now ?? 0;
      if (failure !== undefined) {
        failures.push({ seed, message: failure.message });
        if (plan.replay) replayed = run.simulation;
        // Code that hangs would cost its full time limit on every seed: one such seed is enough, even in stress mode.
        if (!plan.stress || failure.name === "TimeLimitError") break;
      }
    }
    m.seedsRun = schedules;
    m.seedsFailed = failures.length;
    m.failedSeeds = failures.map((f) => f.seed);
    m.schedules = schedules;
    m.virtualMs = Math.round(virtualMs);
    const first = failures[0];
    if (first === undefined) return;
    // Shrink the fault schedule while the same failure still happens, then replay that run with the trace on.
    // (Not in the proof run, which only needs to know that a test fails.)
    const shrunk = plan.replay || process.env.COURSE_PROOF_BAIL === "1" ? undefined : shrinkFailure(spec, impl, first.seed, first.message, perSeedMs);
    const recorded = plan.replay ? replayed : recordFailingSeed(spec, impl, first.seed, perSeedMs, shrunk?.keep);
    const message = shrunk?.message ?? first.message;
    if (recorded !== undefined) annotate(recorded, message);
    const traceFile = recorded === undefined ? undefined : writeFailureTrace(recorded, traceInfo(exercise, name, spec, message));
    const replay = replayCommand(exercise, name, first.seed, shrunk?.keep);
    m.replay = replay;
    if (traceFile !== undefined) m.traceFile = traceFile;
    const rate = plan.stress ? `\n  failed ${failures.length} of ${schedules} seeds (${((100 * failures.length) / schedules).toFixed(1)}%): ${failures.slice(0, 10).map((f) => f.seed).join(", ")}${failures.length > 10 ? ", ..." : ""}` : "";
    throw new SimulationFailure(
      [
        `${name}: failed on seed ${first.seed} (run ${plan.seeds.indexOf(first.seed) + 1} of ${plan.seeds.length}${plan.fresh > 0 ? `, ${plan.fresh} of them fresh random seeds` : ""})`,
        `  ${message.split("\n").join("\n  ")}`,
        shrunk === undefined ? "" : `  shrunk: the same failure happens with only ${shrunk.keep.size} of its ${shrunk.total} fault episodes${shrunk.keep.size === 0 ? " (none at all: no fault is needed)" : `: ${shrunk.episodes.join("; ")}`}`,
        `  hint:   ${spec.hint}`,
        `  replay: ${replay}`,
        traceFile === undefined ? "" : `  trace:  ${traceFile} (open it in the course site's trace viewer)`,
      ]
        .filter((l) => l !== "")
        .join("\n") + rate,
    );
  }
}

/** A failed simulation test; the message carries the seed, the replay command and the trace file. */
export class SimulationFailure extends Error {
  override name = "SimulationFailure";
}

function traceInfo<F extends RuleSet>(exercise: Exercise<F>, name: string, spec: SimulationTest<F>, failure: string) {
  return { lesson: exercise.lesson, exercise: exercise.id, test: name, impl: describeChoice(implChoiceFor(exercise)), protocol: spec.protocol, failure };
}

/** The kind of failure, to tell whether a shrunk run still fails "the same way": the checker's name, or "liveness"... */
function failureKind(message: string): string {
  const first = message.split("\n")[0] ?? "";
  const violated = / violated at /.exec(first);
  if (violated) return first.slice(0, violated.index);
  return first.split(":")[0] ?? first;
}

interface Shrunk {
  readonly keep: ReadonlySet<number>;
  readonly total: number;
  readonly episodes: readonly string[];
  readonly message: string;
}

/** Drop fault episodes one at a time while the seed still fails with the same kind of failure. */
function shrinkFailure<F extends RuleSet>(spec: SimulationTest<F>, impl: F, seed: number, message: string, perSeedMs: number): Shrunk | undefined {
  const probe = new SeedRun(seed, false);
  if (attempt(spec, impl, probe, perSeedMs) === undefined || probe.schedule === undefined) return undefined;
  const total = episodesOf(probe.schedule).length;
  if (total === 0) return undefined;
  const kind = failureKind(message);
  if (kind.includes("not written yet") || kind.includes("still running after")) return undefined;
  let lastMessage = message;
  const keep = shrinkEpisodes(total, (candidate) => {
    const failure = attempt(spec, impl, new SeedRun(seed, false, candidate), perSeedMs);
    if (failure === undefined || failureKind(failure.message) !== kind) return false;
    lastMessage = failure.message;
    return true;
  });
  if (keep.size === total) return undefined;
  return { keep, total, episodes: describeEpisodes(probe.schedule, keep), message: lastMessage };
}

/** COURSE_FAULTS=1,4 (or "none"): the episodes a shrunk replay keeps. */
function keptFromEnv(env: NodeJS.ProcessEnv = process.env): ReadonlySet<number> | undefined {
  const raw = env.COURSE_FAULTS;
  if (raw === undefined || raw === "") return undefined;
  if (raw === "none") return new Set();
  if (!/^\d+(,\d+)*$/.test(raw)) throw new Error(`COURSE_FAULTS must be "none" or a list of episode numbers like 0,3,5, got "${raw}"`);
  return new Set(raw.split(",").map(Number));
}

function recordFailingSeed<F extends RuleSet>(spec: SimulationTest<F>, impl: F, seed: number, perSeedMs: number, keep?: ReadonlySet<number>): Simulation<Message> | undefined {
  const run = new SeedRun(seed, true, keep);
  // Recording is slower than the bulk run: give it more time.
  attempt(spec, impl, run, perSeedMs * 3);
  return run.simulation;
}

function attempt<F extends RuleSet>(spec: SimulationTest<F>, impl: F, run: SeedRun, ms: number): Error | undefined {
  try {
    const problem = withTimeLimit(() => spec.run(impl, run), ms, `seed ${run.seed}`);
    const sim = run.simulation;
    if (sim?.violation !== undefined) return new Error(sim.violationReport());
    return problem === undefined ? undefined : new Error(problem);
  } catch (e) {
    const sim = run.simulation;
    const where = sim === undefined ? "" : ` (at ${Math.round(sim.now)} ms, step ${sim.stepCount})`;
    const err = new Error(`${(e as Error)?.message ?? preview(e)}${where}`);
    err.name = (e as Error)?.name ?? "Error";
    return err;
  }
}

function annotate(sim: Simulation<Message>, message: string): void {
  try {
    sim.note(`Grading failure: ${message.split("\n")[0]}`, { style: "result", label: "failure" });
  } catch {
    // A note is a courtesy; the trace is still worth writing without it.
  }
}

/** One line that replays exactly this run: same implementation, same seed, only this test, trace recorded. */
export function replayCommand(exercise: Pick<Exercise, "folder" | "lesson" | "id">, testName: string, seed: number, keep?: ReadonlySet<number>): string {
  const choice = describeChoice(implChoiceFor(exercise));
  const impl = choice === "student" ? "" : ` --impl ${choice}`;
  const faults = keep === undefined ? "" : ` --faults ${keep.size === 0 ? "none" : [...keep].sort((a, b) => a - b).join(",")}`;
  // npm and the grade command take the same words on every shell (no VAR=value prefix), and test names hold no shell-special characters.
  return `npm run grade ${exercise.lesson} --${impl} --seed ${seed}${faults} --test "${testName}"`;
}
