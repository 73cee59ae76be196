// The network model: per-link latency, loss and duplication, plus partitions and one-way cuts.

import { SimulationError } from "./errors.js";
import type { Rng } from "./rng.js";
import type { Latency, LinkConfig, NodeId } from "./types.js";

export const DEFAULT_LINK: LinkConfig = {
  latency: { kind: "uniform", min: 1, max: 10 },
  drop: 0,
  duplicate: 0,
};

/** Throws a SimulationError naming the bad field; returns the config otherwise. */
export function validateLinkConfig(config: Partial<LinkConfig>, where: string): Partial<LinkConfig> {
  const prob = (name: "drop" | "duplicate") => {
    const p = config[name];
    if (p === undefined) return;
    if (typeof p !== "number" || !Number.isFinite(p) || p < 0 || p > 1) {
      throw new SimulationError(`${where}: ${name} probability must be a number in [0, 1], got ${String(p)}`);
    }
  };
  prob("drop");
  prob("duplicate");
  if (config.latency !== undefined) validateLatency(config.latency, where);
  return config;
}

function validateLatency(latency: Latency, where: string): void {
  const num = (name: string, v: unknown) => {
    if (typeof v !== "number" || !Number.isFinite(v)) {
      throw new SimulationError(`${where}: latency ${name} must be a finite number of milliseconds, got ${String(v)}`);
    }
    if (v < 0) throw new SimulationError(`${where}: latency ${name} must not be negative, got ${v}`);
  };
  switch (latency.kind) {
    case "fixed":
      num("ms", latency.ms);
      return;
    case "uniform":
      num("min", latency.min);
      num("max", latency.max);
      if (latency.max < latency.min) throw new SimulationError(`${where}: latency max (${latency.max}) is below min (${latency.min})`);
      return;
    case "exponential":
      num("min", latency.min);
      num("mean", latency.mean);
      num("max", latency.max);
      if (latency.max < latency.min) throw new SimulationError(`${where}: latency max (${latency.max}) is below min (${latency.min})`);
      return;
    default:
      throw new SimulationError(`${where}: unknown latency kind ${JSON.stringify((latency as { kind: unknown }).kind)} (use fixed, uniform or exponential)`);
  }
}

export function sampleLatency(latency: Latency, rng: Rng): number {
  switch (latency.kind) {
    case "fixed":
      return latency.ms;
    case "uniform":
      return latency.min === latency.max ? latency.min : rng.uniform(latency.min, latency.max);
    case "exponential":
      return Math.min(latency.max, latency.min + rng.exponential(latency.mean));
  }
}

export interface NetworkState {
  readonly links: readonly LinkConfig[];
  readonly blocked: Uint8Array;
}

/** Link settings and reachability between every ordered pair of nodes, indexed by position for speed. */
export class Network {
  private readonly index = new Map<NodeId, number>();
  private links: LinkConfig[];
  /** blocked[from * n + to] = 1 when messages from -> to are lost. */
  private blocked: Uint8Array;
  private readonly n: number;
  /** Copy on write: after a save or restore, both arrays are shared with a checkpoint until the next change. */
  private shared = false;

  constructor(
    readonly nodes: readonly NodeId[],
    defaults: LinkConfig,
  ) {
    this.n = nodes.length;
    nodes.forEach((id, i) => this.index.set(id, i));
    this.links = new Array<LinkConfig>(this.n * this.n).fill(defaults);
    this.blocked = new Uint8Array(this.n * this.n);
  }

  has(node: NodeId): boolean {
    return this.index.has(node);
  }

  private pos(node: NodeId, what: string): number {
    const i = this.index.get(node);
    if (i === undefined) throw new SimulationError(`${what}: unknown node id ${node} (nodes are ${this.nodes.join(", ")})`);
    return i;
  }

  link(from: NodeId, to: NodeId): LinkConfig {
    return this.links[this.pos(from, "link") * this.n + this.pos(to, "link")] as LinkConfig;
  }

  isBlocked(from: NodeId, to: NodeId): boolean {
    return this.blocked[this.pos(from, "send") * this.n + this.pos(to, "send")] === 1;
  }

  /** Copies the arrays first if a checkpoint shares them. */
  private own(): void {
    if (!this.shared) return;
    this.links = this.links.slice();
    this.blocked = this.blocked.slice();
    this.shared = false;
  }

  /** Update one directed link, every link out of `from`, every link into `to`, or all links. */
  configure(change: Partial<LinkConfig>, from?: NodeId, to?: NodeId): void {
    this.own();
    const fromSet = from === undefined ? this.nodes.map((_, i) => i) : [this.pos(from, "link change")];
    const toSet = to === undefined ? this.nodes.map((_, i) => i) : [this.pos(to, "link change")];
    for (const f of fromSet) {
      for (const t of toSet) {
        const k = f * this.n + t;
        this.links[k] = { ...(this.links[k] as LinkConfig), ...change };
      }
    }
  }

  cut(from: NodeId, to: NodeId): void {
    this.own();
    this.blocked[this.pos(from, "cut") * this.n + this.pos(to, "cut")] = 1;
  }

  isolate(node: NodeId): void {
    const i = this.pos(node, "isolate");
    this.own();
    for (let j = 0; j < this.n; j++) {
      if (j === i) continue;
      this.blocked[i * this.n + j] = 1;
      this.blocked[j * this.n + i] = 1;
    }
  }

  /** Split into groups that cannot reach each other; nodes in no group form one extra group together. */
  partition(groups: readonly (readonly NodeId[])[]): void {
    const groupOf = new Array<number>(this.n).fill(-1);
    groups.forEach((g, gi) => {
      for (const node of g) {
        const i = this.pos(node, "partition");
        if (groupOf[i] !== -1) throw new SimulationError(`partition: node ${node} appears in more than one group`);
        groupOf[i] = gi;
      }
    });
    this.own();
    for (let a = 0; a < this.n; a++) {
      for (let b = 0; b < this.n; b++) {
        if (a !== b && groupOf[a] !== groupOf[b]) this.blocked[a * this.n + b] = 1;
      }
    }
  }

  heal(from?: NodeId, to?: NodeId): void {
    this.own();
    if (from === undefined && to === undefined) {
      this.blocked.fill(0);
      return;
    }
    if (from === undefined || to === undefined) throw new SimulationError("heal: give both from and to, or neither to heal every link");
    this.blocked[this.pos(from, "heal") * this.n + this.pos(to, "heal")] = 0;
  }

  /** Every link's settings and reachability, shared with the live network until it changes (simulation checkpoints). */
  save(): NetworkState {
    this.shared = true;
    return { links: this.links, blocked: this.blocked };
  }

  restore(state: NetworkState): void {
    this.links = state.links as LinkConfig[];
    this.blocked = state.blocked;
    this.shared = true;
  }

  /** Directed pairs currently cut, for views and narration. */
  blockedPairs(): Array<[NodeId, NodeId]> {
    const out: Array<[NodeId, NodeId]> = [];
    for (let a = 0; a < this.n; a++) {
      for (let b = 0; b < this.n; b++) {
        if (this.blocked[a * this.n + b] === 1) out.push([this.nodes[a] as NodeId, this.nodes[b] as NodeId]);
      }
    }
    return out;
  }
}
