// Trace files: a run's events plus what it was replayed from, written as JSON and read back without loss.

import { SimulationError } from "./errors.js";
import type { RecordedAction, Simulation } from "./simulation.js";
import type { LinkConfig, Message, NodeId, ScheduledFault, ScheduledRequest, TraceEvent } from "./types.js";
import type { TypeCount } from "./counters.js";

export const TRACE_FORMAT = "paxos-raft-course/trace";
export const TRACE_VERSION = 1;

/** Everything needed to look at a run again, or to replay it with the same scenario code. */
export interface TraceFile {
  readonly format: typeof TRACE_FORMAT;
  readonly version: typeof TRACE_VERSION;
  /** Which scenario produced it (e.g. "lesson-3/lost-promise") and anything the scenario adds. */
  readonly scenario: string;
  readonly protocol?: string;
  readonly seed: number;
  readonly nodes: readonly NodeId[];
  readonly network?: Partial<LinkConfig>;
  readonly faults: readonly ScheduledFault[];
  readonly requests: readonly ScheduledRequest[];
  readonly actions: readonly RecordedAction[];
  readonly options?: Record<string, unknown>;
  readonly counters: Record<string, TypeCount>;
  readonly events: readonly TraceEvent[];
}

export function toTraceFile<M extends Message>(sim: Simulation<M>, scenario: string, extra: { protocol?: string; options?: Record<string, unknown> } = {}): TraceFile {
  const spec = sim.spec;
  return {
    format: TRACE_FORMAT,
    version: TRACE_VERSION,
    scenario,
    ...(extra.protocol === undefined ? {} : { protocol: extra.protocol }),
    seed: spec.seed,
    nodes: sim.nodeIds,
    ...(spec.network === undefined ? {} : { network: spec.network }),
    faults: spec.faults ?? [],
    requests: spec.requests ?? [],
    actions: sim.actions,
    ...(extra.options === undefined ? {} : { options: extra.options }),
    counters: sim.counters.toJSON(),
    events: sim.trace,
  };
}

export function serializeTrace(file: TraceFile): string {
  return JSON.stringify(file);
}

/** Parse and check a trace file; a wrong file gets an error that says what is wrong with it. */
export function parseTrace(text: string): TraceFile {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw new SimulationError(`not a trace file: the text is not JSON (${(e as Error).message})`);
  }
  if (typeof data !== "object" || data === null) throw new SimulationError("not a trace file: expected a JSON object");
  const f = data as Partial<TraceFile>;
  if (f.format !== TRACE_FORMAT) throw new SimulationError(`not a trace file: format is ${JSON.stringify(f.format)}, expected "${TRACE_FORMAT}"`);
  if (f.version !== TRACE_VERSION) throw new SimulationError(`trace version ${String(f.version)} is not supported (this code reads version ${TRACE_VERSION})`);
  if (!Array.isArray(f.events)) throw new SimulationError("trace file has no events array");
  if (!Array.isArray(f.nodes)) throw new SimulationError("trace file has no nodes array");
  f.events.forEach((e, i) => {
    if (typeof e !== "object" || e === null || typeof e.kind !== "string" || typeof e.time !== "number" || e.seq !== i) {
      throw new SimulationError(`trace event #${i} is malformed (each event needs kind, time and seq = its position)`);
    }
  });
  return f as TraceFile;
}
