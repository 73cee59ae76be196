// Public API of the grading harness, for the grade command and the proof run.

export * from "./exercise.js";
export * from "./impl.js";
export * from "./meta.js";
export * from "./collect.js";
export * from "./traces.js";
export { DEFAULT_FRESH_SEEDS } from "./seeds.js";
