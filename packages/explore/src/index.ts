// Public API of @course/explore: bounded exhaustive search over the simulator's choices, with every checker on.

export { explore } from "./search.js";
export { resolveRun, searchSimulation, type ResolvedRun } from "./run.js";
export { replayPath, replayTrace, replayOf, type Continuation, type ExploreReplay, type Replayed } from "./replay.js";
export { protocolSetup, type ProtocolSetup, type Agreement, type WorkItem } from "./protocols.js";
export { VARIANTS, variantsOf, type Variant } from "./variants.js";
export { SearchScheduler } from "./search-scheduler.js";
export { StateEncoder } from "./state-key.js";
export { scriptChoices, type ScriptStep } from "./script.js";
export { ExploreError } from "./errors.js";
export { describerFor } from "./narrate.js";
export * from "./types.js";
