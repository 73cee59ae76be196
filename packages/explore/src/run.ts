// Resolving a run's options, and running steps of it: shared by the search, liveness checks and replays.

import { Simulation, type Choice, type Message } from "@course/sim";
import { ExploreError } from "./errors.js";
import { protocolSetup, type ProtocolSetup } from "./protocols.js";
import { SearchScheduler } from "./search-scheduler.js";
import type { Bounds, ExploreOptions } from "./types.js";
import { variantsOf } from "./variants.js";
import type { ScriptStep } from "./script.js";

/** Everything a search runs with, resolved from the options: used again to replay a path. */
export interface ResolvedRun {
  readonly setup: ProtocolSetup;
  readonly bounds: Bounds;
  readonly seed: number;
  readonly options: ExploreOptions;
  /** Where the variant starts its search, unless `options.from` says otherwise (see Variant.start). */
  readonly variantStart?: readonly ScriptStep[];
}

export function resolveRun(options: ExploreOptions): ResolvedRun {
  const variants = variantsOf(options.protocol);
  const variant = options.variant === undefined ? undefined : variants[options.variant];
  if (options.variant !== undefined && variant === undefined) {
    throw new ExploreError(`${options.protocol} has no variant "${options.variant}"; known variants: ${Object.keys(variants).join(", ")}`);
  }
  if (options.nodes !== undefined && (!Number.isInteger(options.nodes) || options.nodes < 2 || options.nodes > 7)) {
    throw new ExploreError(`nodes must be a whole number from 2 to 7, got ${options.nodes}`);
  }
  const base = protocolSetup(options.protocol, {
    ...(options.nodes === undefined ? {} : { nodes: options.nodes }),
    rules: { ...(variant?.rules ?? {}), ...(options.rules ?? {}) },
    nodeOptions: { ...(variant?.nodeOptions ?? {}), ...(options.nodeOptions ?? {}) },
  });
  const setup: ProtocolSetup = options.workload === undefined ? base : { ...base, workload: options.workload };
  // A variant that needs a bigger bound than the protocol's default names its own (see Variant.bounds).
  const defaults: Bounds = { ...setup.defaults, ...(variant?.bounds ?? {}) };
  const bounds: Bounds = {
    depth: options.depth ?? defaults.depth,
    maxStates: options.maxStates ?? defaults.maxStates,
    drops: options.drops ?? defaults.drops,
    duplicates: options.duplicates ?? defaults.duplicates,
    crashes: options.crashes ?? defaults.crashes,
    timers: options.timers ?? defaults.timers,
    requests: Math.min(options.requests ?? defaults.requests, setup.workload.length),
    lifetime: options.lifetime ?? defaults.lifetime,
  };
  for (const [name, value] of Object.entries(bounds)) {
    if (!Number.isInteger(value) || value < 0) throw new ExploreError(`${name} must be a whole number >= 0, got ${String(value)}`);
  }
  if ((options.requests ?? 0) > setup.workload.length) throw new ExploreError(`${options.protocol}'s workload has ${setup.workload.length} requests; asked for ${options.requests}`);
  return { setup, bounds, seed: options.seed ?? 1, options, ...(variant?.start === undefined ? {} : { variantStart: variant.start }) };
}

/** A simulation set up for searching: no trace, frozen shared messages, the search's scheduler. */
export function searchSimulation(run: ResolvedRun, record: boolean): { sim: Simulation<Message>; scheduler: SearchScheduler } {
  const scheduler = new SearchScheduler();
  const sim = new Simulation<Message>({
    seed: run.seed,
    nodes: run.setup.nodes,
    createNode: run.setup.createNode,
    hooks: run.setup.hooks(),
    record,
    isolateMessages: record,
    freezeMessages: true,
    countMessages: record,
    scheduler,
  });
  return { sim, scheduler };
}

/** Runs one step of the search; a node that throws is a bug found like any other. */
export function take(sim: Simulation<Message>, scheduler: SearchScheduler, choice: Choice): string | undefined {
  scheduler.plan(choice);
  scheduler.step = sim.stepCount + 1;
  try {
    sim.step();
  } catch (e) {
    return e instanceof Error ? `${e.name}: ${e.message}` : String(e);
  }
  return undefined;
}

/**
 * One move of the search: the chosen step, then the loss of every message that has waited longer than the
 * lifetime bound (each loss a step of its own, so a replay repeats it). Returns the steps taken.
 */
export function move(sim: Simulation<Message>, scheduler: SearchScheduler, run: ResolvedRun, choice: Choice): { readonly choices: Choice[]; readonly threw?: string } {
  const threw = take(sim, scheduler, choice);
  const choices = [choice];
  const lifetime = run.bounds.lifetime;
  if (threw !== undefined || lifetime === 0 || sim.stopped) return threw === undefined ? { choices } : { choices, threw };
  const now = sim.stepCount;
  // Most steps lose nothing: look in queue order first, and sort (the order the losses are taken in) only when needed.
  if (!sim.pendingEvents(false).some((e) => e.kind === "deliver" && now - scheduler.sentStep(e.msg) > lifetime)) return { choices };
  for (const e of sim.pendingEvents()) {
    if (e.kind !== "deliver" || now - scheduler.sentStep(e.msg) <= lifetime) continue;
    const drop: Choice = { kind: "drop", event: e.id };
    take(sim, scheduler, drop);
    choices.push(drop);
  }
  return { choices };
}

/** How a fault-free continuation ended. */
export type ContinuationEnd = { readonly kind: "agreement" } | { readonly kind: "stuck" } | { readonly kind: "violation" } | { readonly kind: "threw"; readonly error: string };

/**
 * A fault-free continuation from the current state: every crashed node restarts (unless `stayDown`), the network stops losing
 * messages, events run in time order with latencies from `seed`, and the protocol's agreement driver sends its
 * requests. Ends at agreement, at a violation, or after `within` virtual ms.
 */
export function continueFaultFree(sim: Simulation<Message>, scheduler: SearchScheduler, run: ResolvedRun, seed: number, within: number, stayDown = false): ContinuationEnd {
  scheduler.setTimed(seed);
  try {
    if (!stayDown) for (const id of sim.nodeIds) if (sim.status(id) === "crashed") sim.apply({ type: "restart", node: id });
    const start = sim.now;
    const done = run.setup.agreement.done;
    for (let round = 0; ; round++) {
      run.setup.agreement.drive(sim, round);
      if (sim.runUntil((s) => done(s), { timeout: 100 })) return { kind: "agreement" };
      if (sim.stopped) return { kind: "violation" };
      if (sim.now - start >= within) return { kind: "stuck" };
    }
  } catch (e) {
    return { kind: "threw", error: e instanceof Error ? `${e.name}: ${e.message}` : String(e) };
  }
}
