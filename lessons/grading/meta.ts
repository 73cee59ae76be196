// The facts a graded test attaches to itself (vitest task meta) so the grader can build its score table.

/** What a graded test reports beyond passed/failed. */
export interface GradingMeta {
  readonly lesson: number;
  readonly exercise: string;
  readonly exerciseTitle: string;
  /** The file the student edits, relative to the lessons folder. */
  readonly stubFile?: string;
  readonly test: string;
  /** 0 for a gate: the one test that stands for a whole suite that cannot run yet. */
  readonly points: number;
  /** "gate": the stub is untouched or does not load, so the suite shows one message instead of every test failing. */
  readonly kind: "unit" | "simulation" | "exhaustive" | "gate";
  /** Simulation tests: seeds run and seeds that failed (in stress mode every seed runs). */
  seedsRun?: number;
  seedsFailed?: number;
  failedSeeds?: number[];
  /** Whole fault schedules simulated by this test. */
  schedules?: number;
  /** Virtual time those schedules covered, in ms: what a real-time test would have had to wait through. */
  virtualMs?: number;
  /** Exhaustive tests: states the searches reached (distinct) and steps they took (including states seen before). */
  distinctStates?: number;
  statesExplored?: number;
  /** The command that replays the first failing seed (or the search's counterexample), and the trace written for it. */
  replay?: string;
  traceFile?: string;
}

/** Read the grading facts from a vitest meta object (undefined for tests that are not graded). */
export function gradingMetaOf(meta: unknown): GradingMeta | undefined {
  const g = (meta as { grading?: GradingMeta } | undefined)?.grading;
  return g !== undefined && typeof g.points === "number" ? g : undefined;
}

export function setGradingMeta(meta: object, grading: GradingMeta): GradingMeta {
  (meta as { grading?: GradingMeta }).grading = grading;
  return grading;
}
