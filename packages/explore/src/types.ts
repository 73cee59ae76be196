// The explorer's vocabulary: options, bounds, results and progress reports.

import type { Choice, NodeId, TraceFile } from "@course/sim";
import type { WorkItem } from "./protocols.js";

export type ProtocolName = "2pc" | "paxos" | "multi-paxos" | "raft";
export const PROTOCOLS: readonly ProtocolName[] = ["2pc", "paxos", "multi-paxos", "raft"];

/** How far the search goes. Every fault is a budget per path: a path may use at most this many of each. */
export interface Bounds {
  /** Longest path, in steps, from the start. */
  readonly depth: number;
  /** Stop after this many distinct states. */
  readonly maxStates: number;
  /** Messages the network may lose. */
  readonly drops: number;
  /** Messages the network may deliver twice. */
  readonly duplicates: number;
  /** Node crashes (a crashed node may restart at any later step). */
  readonly crashes: number;
  /** Timer firings (election timeouts, heartbeats, retries...). */
  readonly timers: number;
  /** Client requests, taken in order from the protocol's workload. */
  readonly requests: number;
  /**
   * A message not delivered within this many steps of being sent is lost (0: messages wait forever). The network
   * may lose any message, so every path is still a real run; the bound leaves out only very late deliveries.
   * Message ages are not part of a state's key (they would multiply the states), so states that differ only in
   * how long their messages have waited are merged: with this bound the search covers every state of the runs it
   * takes, but which late deliveries it leaves out can depend on the search order (breadth- or depth-first).
   */
  readonly lifetime: number;
}

export interface ExploreOptions {
  readonly protocol: ProtocolName;
  /** A named broken variant: a lesson's "break it" variant or a planted bug (see `variantsOf`). */
  readonly variant?: string;
  /** Rules to swap into the reference node (a student's function, a grading mutant); applied after the variant's. */
  readonly rules?: Readonly<Record<string, unknown>>;
  /** Names `rules` in reports and trace files ("8/safety/commit-on-leader-alone"), so a replay can find them again. */
  readonly rulesLabel?: string;
  /** More node options (e.g. Raft's `preVote`), applied after the protocol's and the variant's. */
  readonly nodeOptions?: Readonly<Record<string, unknown>>;
  /**
   * The client requests the search may send, in order (default: the protocol's workload). A replay needs none:
   * the requests are in the path.
   */
  readonly workload?: readonly WorkItem[];
  /** Cluster size (default: the protocol's, 3 or 4). */
  readonly nodes?: number;
  /** Bounds; each defaults to the protocol's default bound (`defaultBounds`). */
  readonly depth?: number;
  readonly maxStates?: number;
  readonly drops?: number;
  readonly duplicates?: number;
  readonly crashes?: number;
  readonly timers?: number;
  readonly requests?: number;
  readonly lifetime?: number;
  /**
   * Start the search where this path ends (the scheduler's choices from the start: a scripted setup, see
   * `scriptChoices`, or the path of an earlier counterexample). The bounds apply from there.
   */
  readonly from?: readonly Choice[];
  /** Breadth-first (default: a counterexample is a shortest one) or depth-first. */
  readonly strategy?: "bfs" | "dfs";
  /** Merge states that differ only by a renaming of interchangeable nodes (default true where the protocol allows). */
  readonly symmetry?: boolean;
  /** Also check that from every state reached, a fault-free continuation reaches agreement. */
  readonly liveness?: boolean | LivenessOptions;
  /** Seed of the nodes' own random numbers (election timeouts...) and of liveness continuations (default 1). */
  readonly seed?: number;
  /**
   * Explore only piece `index` (1..count) of the search (breadth-first only). Every piece takes the same first
   * levels; at the first level with at least `count` states, piece i keeps the states at positions i, i + count, ...
   * of that level and explores only below them. Together the pieces cover every state within the bounds.
   */
  readonly shard?: { readonly index: number; readonly count: number };
  /** Called every `progressEvery` distinct states (default 10,000) and at the end. */
  readonly onProgress?: (progress: Progress) => void;
  readonly progressEvery?: number;
}

export interface LivenessOptions {
  /** Virtual milliseconds a fault-free continuation gets to reach agreement (default 3,000). */
  readonly within?: number;
  /** Continuations tried (each with its own seed) before a state counts as stuck (default 2). */
  readonly tries?: number;
  /**
   * Crashed nodes stay down in the continuations, and the others must reach agreement without them (default false:
   * they restart). Finds rules that need a dead node back, e.g. a vote that waits for a leader that never returns.
   */
  readonly stayDown?: boolean;
}

export interface Progress {
  /** Steps executed (transitions), including those into states seen before. */
  readonly statesExplored: number;
  readonly distinctStates: number;
  readonly depthReached: number;
  /** States waiting to be expanded. */
  readonly frontier: number;
}

/** A counterexample: what broke, and the shortest (breadth-first) run that breaks it, as a trace file. */
export interface Counterexample {
  /** The checker that fired, e.g. "Leader Completeness". */
  readonly invariant: string;
  readonly message: string;
  /** Steps from the start. */
  readonly depth: number;
  /** The scheduler's choices, from the start; `replay` runs them again. */
  readonly path: readonly Choice[];
  readonly trace: TraceFile;
}

/** A state from which no fault-free continuation reached agreement (liveness mode). */
export interface StuckState {
  readonly depth: number;
  readonly path: readonly Choice[];
  /** What agreement means for the protocol, and what was missing. */
  readonly message: string;
  /** The path to the state, then one fault-free continuation that did not reach agreement. */
  readonly trace: TraceFile;
}

export interface ExploreResult extends Progress {
  readonly protocol: ProtocolName;
  readonly variant?: string;
  readonly nodes: readonly NodeId[];
  readonly bounds: Bounds;
  readonly strategy: "bfs" | "dfs";
  readonly symmetry: boolean;
  readonly violation?: Counterexample;
  readonly stuck?: StuckState;
  /**
   * True when every state within the bounds was explored: the search was not cut short by `maxStates` or a
   * violation. States at the depth bound count as explored; `depthCut` says how many had successors left out.
   */
  readonly exhausted: boolean;
  readonly depthCut: number;
  /** Liveness mode: states whose continuations were checked. */
  readonly livenessChecked?: number;
  /**
   * With `shard`: the piece, and the depth of the level that was split among the pieces (undefined when no level
   * had enough states: then the search was small and every piece explored all of it).
   */
  readonly shard?: { readonly index: number; readonly count: number; readonly splitDepth?: number };
}
