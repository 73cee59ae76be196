// Entry point for runtimes that load JavaScript first (tsx, Node): re-exports the TypeScript grading harness.
export * from "./index.ts";
