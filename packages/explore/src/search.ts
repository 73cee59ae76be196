// The bounded search: breadth-first (or depth-first) over every choice the simulator offers, checkers on every state.

import type { Checkpoint, Choice, Message, Simulation } from "@course/sim";
import { take } from "./run.js";
import { counterexample, stuckState } from "./replay.js";
import { continueFaultFree, move as takeMove, resolveRun, searchSimulation, type ResolvedRun } from "./run.js";
import { scriptChoices } from "./script.js";
import { ExploreError } from "./errors.js";
import { StateEncoder, type NodePart, type PartHashes } from "./state-key.js";
import { PathTable, StateSet } from "./state-set.js";
import type { ExploreOptions, ExploreResult, LivenessOptions, Progress } from "./types.js";

/** What a path may still use. */
interface Budget {
  readonly drops: number;
  readonly duplicates: number;
  readonly crashes: number;
  readonly timers: number;
  /** How many workload requests have been sent. */
  readonly sent: number;
}

interface Move {
  readonly choice: Choice;
  readonly budget: Budget;
}

/** Every step the search may take from the current state, with the budget left after it. */
function movesFrom(sim: Simulation<Message>, run: ResolvedRun, budget: Budget, encoder: StateEncoder): Move[] {
  const at = sim.now + 1;
  const out: Move[] = [];
  const seen = new Set<string>();
  for (const e of sim.pendingEvents()) {
    if (e.kind === "timer") {
      if (budget.timers > 0) out.push({ choice: { kind: "run", event: e.id, at: Math.max(at, e.time) }, budget: { ...budget, timers: budget.timers - 1 } });
      continue;
    }
    if (e.kind !== "deliver") continue;
    // Two copies of one message in flight lead to the same states: deliver (drop, duplicate) only the first.
    const same = `${e.from}>${e.to}:${encoder.messageText(e.msg)}`;
    if (seen.has(same)) continue;
    seen.add(same);
    out.push({ choice: { kind: "run", event: e.id, at }, budget });
    if (e.from === e.to) continue; // a node's messages to itself never touch the network
    if (budget.drops > 0) out.push({ choice: { kind: "drop", event: e.id, at }, budget: { ...budget, drops: budget.drops - 1 } });
    if (budget.duplicates > 0) out.push({ choice: { kind: "duplicate", event: e.id, at }, budget: { ...budget, duplicates: budget.duplicates - 1 } });
  }
  for (const id of sim.nodeIds) {
    const status = sim.status(id);
    if (status === "crashed") out.push({ choice: { kind: "fault", action: { type: "restart", node: id }, at }, budget });
    else if (budget.crashes > 0) out.push({ choice: { kind: "fault", action: { type: "crash", node: id }, at }, budget: { ...budget, crashes: budget.crashes - 1 } });
  }
  if (budget.sent < run.bounds.requests) {
    const item = run.setup.workload[budget.sent];
    if (item !== undefined) {
      for (const node of run.setup.targets(sim)) {
        out.push({ choice: { kind: "request", node, op: item.op, ...(item.client === undefined ? {} : { client: item.client }), at }, budget: { ...budget, sent: budget.sent + 1 } });
      }
    }
  }
  return out;
}

/** The steps of a path given as move numbers from the end of `prefix`, found by taking the moves again. */
function rebuildPath(run: ResolvedRun, prefix: readonly Choice[], moveNumbers: readonly number[]): Choice[] {
  const { sim, scheduler } = searchSimulation(run, false);
  const encoder = new StateEncoder(run.setup, false);
  for (const c of prefix) take(sim, scheduler, c);
  const b = run.bounds;
  let budget: Budget = { drops: b.drops, duplicates: b.duplicates, crashes: b.crashes, timers: b.timers, sent: 0 };
  const out: Choice[] = [];
  for (const k of moveNumbers) {
    const move = movesFrom(sim, run, budget, encoder)[k] as Move;
    out.push(...takeMove(sim, scheduler, run, move.choice).choices);
    budget = move.budget;
  }
  return out;
}

const budgetText = (b: Budget) => `${b.drops},${b.duplicates},${b.crashes},${b.timers},${b.sent}`;

/**
 * A state waiting to be expanded. Breadth-first search keeps no checkpoint of it, only its parent's and the step
 * from there (a level holds many more states than parents): expanding it takes that step again.
 */
interface Pending {
  /** The state itself (the start, and depth-first), or its parent and the steps that lead here. */
  readonly cp?: Checkpoint;
  readonly parent?: Checkpoint;
  readonly steps?: readonly Choice[];
  readonly budget: Budget;
  readonly depth: number;
  /** Its index in `Paths`. */
  readonly id: number;
  /** Its encoding parts (with `cp`), reused by the next encodings. */
  readonly parts?: readonly NodePart[];
  /** Without `cp`: the hashes of its parts, found when it was reached (it is reached again exactly alike). */
  readonly hashes?: readonly PartHashes[];
}

export function explore(options: ExploreOptions): ExploreResult {
  const run = resolveRun(options);
  const { setup, bounds } = run;
  const strategy = options.strategy ?? "bfs";
  const shard = options.shard;
  if (shard !== undefined) {
    if (!Number.isInteger(shard.count) || shard.count < 1 || !Number.isInteger(shard.index) || shard.index < 1 || shard.index > shard.count) {
      throw new ExploreError(`shard ${shard.index}/${shard.count} does not exist: write i/n with 1 <= i <= n`);
    }
    if (strategy !== "bfs") throw new ExploreError("a search splits into shards only breadth-first");
  }
  let splitDepth: number | undefined;
  const encoder = new StateEncoder(setup, options.symmetry ?? true);
  const liveness: Required<LivenessOptions> | undefined =
    options.liveness === undefined || options.liveness === false ? undefined : { within: 3000, tries: 2, stayDown: false, ...(options.liveness === true ? {} : options.liveness) };
  const { sim, scheduler } = searchSimulation(run, false);
  /** Paths are kept as move numbers (two bytes a state) and rebuilt by running them again when needed. */
  const paths = new PathTable();
  const progressEvery = options.progressEvery ?? 10_000;

  let statesExplored = 0;
  let distinctStates = 0;
  let depthReached = 0;
  let depthCut = 0;
  let livenessChecked = 0;
  let frontierSize = 0;
  const progress = (): Progress => ({ statesExplored, distinctStates, depthReached, frontier: frontierSize });
  const base = {
    protocol: options.protocol,
    ...(options.variant === undefined ? {} : { variant: options.variant }),
    nodes: setup.nodes,
    bounds,
    strategy,
    symmetry: encoder.usesSymmetry,
  };
  const finish = (extra: Partial<ExploreResult> & { exhausted: boolean }): ExploreResult => {
    options.onProgress?.(progress());
    const piece = shard === undefined ? {} : { shard: { ...shard, ...(splitDepth === undefined ? {} : { splitDepth }) } };
    return { ...base, ...progress(), depthCut, ...(liveness ? { livenessChecked } : {}), ...piece, ...extra };
  };

  /** Liveness of a newly found state: undefined when a continuation reached agreement, else how to report it. */
  const checkLiveness = (cp: Checkpoint, path: () => Choice[]): Partial<ExploreResult> | undefined => {
    if (liveness === undefined) return undefined;
    livenessChecked++;
    let firstSeed: number | undefined;
    for (let t = 0; t < liveness.tries; t++) {
      sim.restore(cp);
      const seed = run.seed * 1000 + t;
      const end = continueFaultFree(sim, scheduler, run, seed, liveness.within, liveness.stayDown);
      if (end.kind === "agreement") return undefined;
      // A violation or a crash of node code on the way is a counterexample like any other.
      if (end.kind !== "stuck") return { violation: counterexample(run, path(), { seed, within: liveness.within, ...(liveness.stayDown ? { stayDown: true } : {}) }) };
      firstSeed ??= seed;
    }
    return { stuck: stuckState(run, path(), firstSeed as number, liveness) };
  };

  // The search may start where a given path ends (a scripted setup, or the end of an earlier counterexample), or
  // where the variant's own start script ends.
  const prefix = options.from ?? (run.variantStart === undefined ? [] : scriptChoices(run, run.variantStart));
  const pathTo = (id: number, last: readonly Choice[] = []): Choice[] => [...prefix, ...rebuildPath(run, prefix, paths.moves(id)), ...last];
  for (let i = 0; i < prefix.length; i++) {
    const threw = take(sim, scheduler, prefix[i] as Choice);
    if (threw !== undefined || sim.violation !== undefined) return finish({ exhausted: false, violation: counterexample(run, prefix.slice(0, i + 1)) });
  }
  const rootBudget: Budget = { drops: bounds.drops, duplicates: bounds.duplicates, crashes: bounds.crashes, timers: bounds.timers, sent: 0 };
  const root = encoder.encode(sim, budgetText(rootBudget));
  /** Visited states by key hash, with the depth they were first reached at. */
  const visited = new StateSet();
  visited.set(root.key, 0);
  distinctStates = 1;
  const rootCp = sim.checkpoint();
  const rootFailure = checkLiveness(rootCp, () => [...prefix]);
  if (rootFailure) return finish({ exhausted: false, ...rootFailure });

  /** Takes every step from a state; returns a result when the search must stop. */
  const expand = (s: Pending, push: (p: Pending) => void): ExploreResult | undefined => {
    let cp = s.cp;
    let parts = s.parts as readonly NodePart[];
    if (cp === undefined) {
      sim.restore(s.parent as Checkpoint);
      for (const c of s.steps as readonly Choice[]) take(sim, scheduler, c);
      parts = encoder.rebind(sim, s.hashes as readonly PartHashes[]);
      cp = sim.checkpoint();
    } else sim.restore(cp);
    encoder.expanding(sim);
    const moves = movesFrom(sim, run, s.budget, encoder);
    const childDepth = s.depth + 1;
    for (let m = 0; m < moves.length; m++) {
      const move = moves[m] as Move;
      sim.restore(cp);
      statesExplored++;
      const { choices, threw } = takeMove(sim, scheduler, run, move.choice);
      if (childDepth > depthReached) depthReached = childDepth;
      if (threw !== undefined || sim.violation !== undefined) return finish({ exhausted: false, violation: counterexample(run, pathTo(s.id, choices)) });
      const encoded = encoder.encode(sim, budgetText(move.budget), parts);
      const key = encoded.key;
      const before = visited.get(key);
      // Depth-first search may reach a state again by a shorter path, with more room left below it.
      if (before !== undefined && (strategy === "bfs" || before <= childDepth)) continue;
      visited.set(key, childDepth);
      if (before === undefined) distinctStates++;
      const id = paths.add(s.id, m);
      if (liveness !== undefined) {
        const failure = checkLiveness(sim.checkpoint(), () => pathTo(id));
        if (failure) return finish({ exhausted: false, ...failure });
      }
      if (distinctStates % progressEvery === 0) options.onProgress?.(progress());
      if (distinctStates >= bounds.maxStates) return finish({ exhausted: false });
      // The hashes only: a part's node object would keep a copy of that node alive for the whole next level.
      if (strategy === "bfs") push({ parent: cp, steps: choices, budget: move.budget, depth: childDepth, id, hashes: encoded.parts.map(({ nodeHashes, storedHashes }) => ({ nodeHashes, storedHashes })) });
      else push({ cp: sim.checkpoint(), budget: move.budget, depth: childDepth, id, parts: encoded.parts });
    }
    return undefined;
  };

  const start: Pending = { cp: rootCp, budget: rootBudget, depth: 0, id: paths.add(-1, 0), parts: root.parts };
  if (strategy === "bfs") {
    let level: Array<Pending | undefined> = [start];
    for (let depth = 0; level.length > 0; depth++) {
      if (depth >= bounds.depth) {
        depthCut += level.length;
        break;
      }
      if (shard !== undefined && splitDepth === undefined && level.length >= shard.count) {
        // Every piece reaches this level in the same order (the search is deterministic): each keeps its share.
        splitDepth = depth;
        level = level.filter((_, k) => k % shard.count === shard.index - 1);
      }
      const next: Pending[] = [];
      for (let k = 0; k < level.length; k++) {
        const s = level[k] as Pending;
        level[k] = undefined; // let its checkpoint go
        frontierSize = level.length - k - 1 + next.length;
        const stop = expand(s, (p) => next.push(p));
        if (stop) return stop;
      }
      level = next;
    }
    frontierSize = 0;
    return finish({ exhausted: true });
  }

  const stack: Pending[] = [start];
  while (stack.length > 0) {
    const s = stack.pop() as Pending;
    frontierSize = stack.length;
    if (s.depth >= bounds.depth) {
      depthCut++;
      continue;
    }
    const stop = expand(s, (p) => stack.push(p));
    if (stop) return stop;
  }
  return finish({ exhausted: true });
}
