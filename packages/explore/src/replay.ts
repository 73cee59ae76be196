// Counterexamples as ordinary trace files: a path of choices run again with recording on, and run again from a file.

import { toTraceFile, type Choice, type Message, type Simulation, type TraceFile } from "@course/sim";
import { ExploreError } from "./errors.js";
import { continueFaultFree, resolveRun, searchSimulation, take, type ContinuationEnd, type ResolvedRun } from "./run.js";
import type { Counterexample, ExploreOptions, LivenessOptions, StuckState } from "./types.js";
import { PROTOCOLS, type ProtocolName } from "./types.js";

/** A fault-free continuation appended to a path (liveness mode). */
export interface Continuation {
  readonly seed: number;
  readonly within: number;
  /** Crashed nodes stay down (see LivenessOptions). */
  readonly stayDown?: boolean;
}

/** What a trace file records so the run can be replayed: `options.explore` of the file. */
export interface ExploreReplay {
  readonly protocol: ProtocolName;
  readonly variant?: string;
  /** Names custom rules (a grading mutant, a student's file) the caller must supply again to replay. */
  readonly rulesLabel?: string;
  readonly nodes: number;
  readonly seed: number;
  readonly nodeOptions?: Readonly<Record<string, unknown>>;
  readonly path: readonly Choice[];
  readonly continuation?: Continuation;
}

export interface Replayed {
  readonly sim: Simulation<Message>;
  /** A node threw this error (the run stopped there). */
  readonly threw?: string;
  readonly end?: ContinuationEnd;
}

/** Runs `path` again from the start, recording the trace, then the continuation if any. */
export function replayPath(run: ResolvedRun, path: readonly Choice[], continuation?: Continuation): Replayed {
  const { sim, scheduler } = searchSimulation(run, true);
  for (const choice of path) {
    const threw = take(sim, scheduler, choice);
    if (threw !== undefined) {
      sim.note(`A node threw: ${threw}`, { style: "result" });
      return { sim, threw };
    }
    if (sim.stopped) return { sim };
  }
  if (continuation === undefined) return { sim };
  sim.heading(`Faults stop here: crashed nodes ${continuation.stayDown ? "stay down" : "restart"} and every message arrives (${continuation.within} ms at most)`, "continuation");
  const end = continueFaultFree(sim, scheduler, run, continuation.seed, continuation.within, continuation.stayDown);
  if (end.kind === "threw") sim.note(`A node threw: ${end.error}`, { style: "result" });
  return { sim, end };
}

function traceOf(run: ResolvedRun, sim: Simulation<Message>, path: readonly Choice[], continuation?: Continuation): TraceFile {
  const o = run.options;
  const replay: ExploreReplay = {
    protocol: o.protocol,
    ...(o.variant === undefined ? {} : { variant: o.variant }),
    ...(o.rulesLabel === undefined ? {} : { rulesLabel: o.rulesLabel }),
    nodes: run.setup.nodes.length,
    seed: run.seed,
    ...(o.nodeOptions === undefined ? {} : { nodeOptions: o.nodeOptions }),
    path,
    ...(continuation === undefined ? {} : { continuation }),
  };
  const name = o.variant ?? o.rulesLabel ?? "reference";
  return toTraceFile(sim, `explore/${o.protocol}/${name}`, { protocol: o.protocol, options: { explore: replay } });
}

export function counterexample(run: ResolvedRun, path: readonly Choice[], continuation?: Continuation): Counterexample {
  const { sim, threw } = replayPath(run, path, continuation);
  const v = sim.violation;
  if (v === undefined && threw === undefined) throw new ExploreError("internal: the counterexample did not replay (the search and its replay disagree)");
  return {
    invariant: v?.checker ?? "node code threw",
    message: v?.message ?? (threw as string),
    depth: path.length,
    path,
    trace: traceOf(run, sim, path, continuation),
  };
}

export function stuckState(run: ResolvedRun, path: readonly Choice[], seed: number, liveness: Required<LivenessOptions>): StuckState {
  const continuation = { seed, within: liveness.within, ...(liveness.stayDown ? { stayDown: true } : {}) };
  const { sim } = replayPath(run, path, continuation);
  return {
    depth: path.length,
    path,
    message: `no fault-free continuation reached agreement (${run.setup.agreement.goal}) within ${liveness.within} ms, in ${liveness.tries} tries`,
    trace: traceOf(run, sim, path, continuation),
  };
}

/** Reads the replay record of a trace file written by the explorer. */
export function replayOf(file: TraceFile): ExploreReplay {
  const r = file.options?.explore as Partial<ExploreReplay> | undefined;
  if (r === undefined || typeof r !== "object") throw new ExploreError("this trace was not written by the explorer (it has no options.explore record)");
  if (!PROTOCOLS.includes(r.protocol as ProtocolName)) throw new ExploreError(`the trace's protocol ${JSON.stringify(r.protocol)} is not one of ${PROTOCOLS.join(", ")}`);
  if (!Array.isArray(r.path) || typeof r.nodes !== "number" || typeof r.seed !== "number") throw new ExploreError("the trace's replay record is incomplete (protocol, nodes, seed and path are needed)");
  return r as ExploreReplay;
}

/** Replays an explorer trace; custom rules (named by `rulesLabel`) must be given again. */
export function replayTrace(file: TraceFile, rules?: Readonly<Record<string, unknown>>): Replayed & { readonly replay: ExploreReplay } {
  const r = replayOf(file);
  if (r.rulesLabel !== undefined && rules === undefined) throw new ExploreError(`this trace used custom rules ("${r.rulesLabel}"): pass them to replay it`);
  const options: ExploreOptions = {
    protocol: r.protocol,
    nodes: r.nodes,
    seed: r.seed,
    ...(r.variant === undefined ? {} : { variant: r.variant }),
    ...(r.nodeOptions === undefined ? {} : { nodeOptions: r.nodeOptions }),
    ...(rules === undefined ? {} : { rules }),
  };
  return { ...replayPath(resolveRun(options), r.path, r.continuation), replay: r };
}
