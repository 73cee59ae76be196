// Public API of the grading harness, for the grade and stress commands and the proof run.

export * from "./exercise.js";
export * from "./impl.js";
export * from "./meta.js";
export * from "./collect.js";
export * from "./traces.js";
export * from "./score.js";
export * from "./replay-report.js";
export * from "./hashes.js";
export { isMain } from "./main.js";
export { ScoreReporter } from "./reporter.js";
export { DEFAULT_FRESH_SEEDS } from "./seeds.js";
export { scratchLessons, solveAcceptor, ACCEPTOR_STUB, type ScratchLessons } from "./scratch.js";
