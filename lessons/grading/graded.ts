// The graded-suite API: unit cases and whole-cluster simulations, each worth points, each failing with a clear story.

import { describe, test } from "vitest";
import { Simulation, type Message, type SimulationSpec } from "@course/sim";
import { exerciseKey, type Exercise, type RuleSet } from "./exercise.js";
import { describeChoice, implChoiceFor, implementation, preview } from "./impl.js";
import { setGradingMeta, type GradingMeta } from "./meta.js";
import { seedPlan } from "./seeds.js";
import { withTimeLimit } from "./guard.js";
import { writeFailureTrace } from "./traces.js";

/** Wall-clock limit for one unit case (the rule itself should take microseconds). */
export const UNIT_TIME_LIMIT_MS = 1000;
/** Default wall-clock limit for one simulated seed. */
export const SEED_TIME_LIMIT_MS = 3000;

/** A simulation that ran too many events before its deadline: usually a livelock the student's rule causes. */
export class StepLimitError extends Error {
  override name = "StepLimitError";
}

/** What a simulation test's body gets for one seed. */
export class SeedRun {
  private current: Simulation<Message> | undefined;
  constructor(
    readonly seed: number,
    /** True when the trace is kept (a replay, or the re-run of a failing seed); bulk runs do not record. */
    readonly record: boolean,
  ) {}

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
  /** Fresh random seeds per run (default 4; COURSE_FRESH_SEEDS overrides). */
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
}

/** Declare the graded suite of one exercise. The describe block names the lesson and the exercise. */
export function gradedSuite<F extends RuleSet>(exercise: Exercise<F>, body: (grader: Grader<F>) => void): void {
  describe(`Lesson ${exercise.lesson}: ${exercise.title} (${exerciseKey(exercise)})`, () => {
    body(makeGrader(exercise));
  });
}

function baseMeta(exercise: Exercise, name: string, points: number, kind: GradingMeta["kind"]): GradingMeta {
  if (!(Number.isInteger(points) && points > 0)) throw new Error(`points must be a whole number > 0, got ${points} for "${name}"`);
  return { lesson: exercise.lesson, exercise: exercise.id, exerciseTitle: exercise.title, test: name, points, kind };
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

function makeGrader<F extends RuleSet>(exercise: Exercise<F>): Grader<F> {
  return {
    unit(points, name, body) {
      const meta = baseMeta(exercise, name, points, "unit");
      test(`${name} [${points} pt]`, async ({ task, skip }) => {
        setGradingMeta(task.meta, meta);
        if (bailing()) return skip("an earlier test already failed (proof run)");
        await noting(async () => {
          const impl = await implementation(exercise);
          withTimeLimit(() => body(impl), UNIT_TIME_LIMIT_MS, `"${name}"`);
        });
      });
    },
    simulation(points, name, spec) {
      const meta = baseMeta(exercise, name, points, "simulation");
      const seedsFixed = spec.seeds ?? 20;
      const perSeedMs = spec.perSeedMs ?? SEED_TIME_LIMIT_MS;
      // The vitest timeout is the last line of defence; each seed has its own, much shorter limit.
      const timeout = Math.max(30_000, (seedsFixed + 50) * perSeedMs);
      test(
        `${name} [${points} pt]`,
        async ({ task, skip }) => {
          const m = setGradingMeta(task.meta, { ...meta });
          if (bailing()) return skip("an earlier test already failed (proof run)");
          await noting(() => runSimulationTest(m, spec, seedsFixed, perSeedMs));
        },
        timeout,
      );
    },
  };

  async function runSimulationTest(m: GradingMeta, spec: SimulationTest<F>, seedsFixed: number, perSeedMs: number): Promise<void> {
    const name = m.test;
    const impl = await implementation(exercise);
    const plan = seedPlan(seedsFixed, spec.fresh ?? 4);
    const failures: { seed: number; message: string }[] = [];
    let schedules = 0;
    let virtualMs = 0;
    let replayed: Simulation<Message> | undefined;
    for (const seed of plan.seeds) {
      const run = new SeedRun(seed, plan.replay);
      const failure = attempt(spec, impl, run, perSeedMs);
      schedules++;
      virtualMs += run.simulation?.now ?? 0;
      if (failure !== undefined) {
        failures.push({ seed, message: failure.message });
        if (plan.replay) replayed = run.simulation;
        if (!plan.stress) break;
      }
    }
    m.seedsRun = schedules;
    m.seedsFailed = failures.length;
    m.failedSeeds = failures.map((f) => f.seed);
    m.schedules = schedules;
    m.virtualMs = Math.round(virtualMs);
    const first = failures[0];
    if (first === undefined) return;
    // Replay the first failing seed with the trace on, so the student can watch it in the site's viewer.
    const recorded = plan.replay ? replayed : recordFailingSeed(spec, impl, first.seed, perSeedMs);
    if (recorded !== undefined) annotate(recorded, first.message);
    const traceFile = recorded === undefined ? undefined : writeFailureTrace(recorded, traceInfo(exercise, name, spec, first.message));
    const replay = replayCommand(exercise, name, first.seed);
    m.replay = replay;
    if (traceFile !== undefined) m.traceFile = traceFile;
    const rate = plan.stress ? `\n  failed ${failures.length} of ${schedules} seeds (${((100 * failures.length) / schedules).toFixed(1)}%): ${failures.slice(0, 10).map((f) => f.seed).join(", ")}${failures.length > 10 ? ", ..." : ""}` : "";
    throw new SimulationFailure(
      [
        `${name}: failed on seed ${first.seed} (run ${plan.seeds.indexOf(first.seed) + 1} of ${plan.seeds.length}${plan.fresh > 0 ? `, ${plan.fresh} of them fresh random seeds` : ""})`,
        `  ${first.message.split("\n").join("\n  ")}`,
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

function recordFailingSeed<F extends RuleSet>(spec: SimulationTest<F>, impl: F, seed: number, perSeedMs: number): Simulation<Message> | undefined {
  const run = new SeedRun(seed, true);
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
    return new Error(`${(e as Error)?.message ?? preview(e)}${where}`);
  }
}

function annotate(sim: Simulation<Message>, message: string): void {
  try {
    sim.note(`Grading failure: ${message.split("\n")[0]}`, { style: "result", label: "failure" });
  } catch {
    // A note is a courtesy; the trace is still worth writing without it.
  }
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** One line that replays exactly this run: same implementation, same seed, only this test, trace recorded. */
export function replayCommand(exercise: Pick<Exercise, "folder" | "lesson" | "id">, testName: string, seed: number): string {
  return `COURSE_IMPL=${describeChoice(implChoiceFor(exercise))} COURSE_SEED=${seed} npx vitest run --config lessons/vitest.config.ts lessons/${exercise.folder}/exercise -t "${escapeRegex(testName).replace(/"/g, '\\"')}"`;
}
