// Public API of the simulator package.

export { Rng, type RngState } from "./rng.js";
export { EventQueue, type QueueEntry, type QueueState } from "./event-queue.js";
export { SimulationError, InvariantViolationError, type Violation } from "./errors.js";
export { DEFAULT_LINK, sampleLatency, validateLinkConfig } from "./network.js";
export type { NodeContext, NodeFactory, SimNode, StorageReader } from "./node.js";
export {
  Simulation,
  formatTime,
  restartable,
  type Checkpoint,
  type Hook,
  type InteractiveAction,
  type NodeStatus,
  type RecordedAction,
  type RequestRecord,
  type SimulationSpec,
} from "./simulation.js";
export { RandomScheduler, type Choice, type PendingEvent, type PendingView, type Scheduler, type Transmission, type TransmitOutcome } from "./scheduler.js";
export { deepCopy, deepFreeze } from "./clone.js";
export { canonicalText } from "./canonical.js";
export { StateHasher, fmix32, type Hash128 } from "./state-hasher.js";
export { MessageCounters, type TypeCount } from "./counters.js";
export { frozenJson } from "./json-copy.js";
export { randomFaults, type NemesisOptions } from "./nemesis.js";
export { toTraceFile, serializeTrace, parseTrace, TRACE_FORMAT, TRACE_VERSION, type TraceFile } from "./trace-file.js";
export type * from "./types.js";
export { countSends, formatCounts, messageDelaysUntil, messageDepths, traceMark } from "./trace-metrics.js";
