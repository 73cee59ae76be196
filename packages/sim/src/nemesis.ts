// The nemesis: turns a seed and fault rates into a scripted fault schedule (plain data, replayable).

import { SimulationError } from "./errors.js";
import { DEFAULT_LINK } from "./network.js";
import { Rng } from "./rng.js";
import type { FaultAction, LinkConfig, NodeId, ScheduledFault } from "./types.js";

export interface NemesisOptions {
  readonly seed: number;
  readonly nodes: readonly NodeId[];
  /** Faults start at this time (ms, default 0)... */
  readonly start?: number;
  /** ...and stop here: by `end` every node is restarted or resumed and the network healed. */
  readonly end: number;
  /** Average faults per simulated second, by kind (default 0 for each). */
  readonly rates: {
    readonly crash?: number;
    readonly pause?: number;
    readonly partition?: number;
    readonly cut?: number;
    /** Periods in which every link loses `lossyDrop` of its messages. */
    readonly lossy?: number;
  };
  /** How long a fault lasts, in ms (default 200-2000). */
  readonly duration?: { readonly min: number; readonly max: number };
  /** At most this many nodes crashed or paused at once (default: a minority, floor((n-1)/2)). */
  readonly maxDown?: number;
  /** Drop probability during lossy periods (default 0.3). */
  readonly lossyDrop?: number;
  /**
   * The network's normal settings. A lossy period sets the loss rate of every link and then puts every link back
   * to this `drop` (per-link loss rates a scenario set by hand are not remembered).
   */
  readonly network?: Partial<LinkConfig>;
}

type Kind = "crash" | "pause" | "partition" | "cut" | "lossy";
const KINDS: readonly Kind[] = ["crash", "pause", "partition", "cut", "lossy"];

/** A random but reproducible fault schedule: the same options always give the same schedule. */
export function randomFaults(options: NemesisOptions): ScheduledFault[] {
  const { nodes, end } = options;
  const start = options.start ?? 0;
  const duration = options.duration ?? { min: 200, max: 2000 };
  const maxDown = options.maxDown ?? Math.floor((nodes.length - 1) / 2);
  const lossyDrop = options.lossyDrop ?? 0.3;
  const baseDrop = options.network?.drop ?? DEFAULT_LINK.drop;
  if (!Number.isFinite(start) || !Number.isFinite(end) || start < 0 || end < start) throw new SimulationError(`nemesis: need 0 <= start <= end, got start ${start}, end ${end}`);
  if (duration.min < 0 || duration.max < duration.min) throw new SimulationError(`nemesis: duration needs 0 <= min <= max, got ${duration.min}-${duration.max}`);
  if (lossyDrop < 0 || lossyDrop > 1) throw new SimulationError(`nemesis: lossyDrop must be in [0, 1], got ${lossyDrop}`);
  const rates = KINDS.map((k) => {
    const r = options.rates[k] ?? 0;
    if (!Number.isFinite(r) || r < 0) throw new SimulationError(`nemesis: rate for ${k} must be a number >= 0 per second, got ${r}`);
    return r;
  });
  const totalRate = rates.reduce((a, b) => a + b, 0);
  const rng = new Rng(options.seed).fork("nemesis");
  const out: ScheduledFault[] = [];
  if (totalRate === 0) return out;

  const downUntil = new Map<NodeId, number>();
  let networkBusyUntil = start;
  let lossyUntil = start;
  const push = (at: number, action: FaultAction) => out.push({ at: round(at), action });

  for (let t = start + rng.exponential(1000 / totalRate); t < end; t += rng.exponential(1000 / totalRate)) {
    let pick = rng.next() * totalRate;
    let kind: Kind = "crash";
    for (let i = 0; i < KINDS.length; i++) {
      pick -= rates[i] as number;
      if (pick < 0) {
        kind = KINDS[i] as Kind;
        break;
      }
    }
    const until = Math.min(end, t + rng.uniform(duration.min, duration.max));
    if (kind === "crash" || kind === "pause") {
      for (const [n, u] of downUntil) if (u <= t) downUntil.delete(n);
      if (downUntil.size >= maxDown) continue;
      const candidates = nodes.filter((n) => !downUntil.has(n));
      if (candidates.length === 0) continue;
      const node = rng.pick(candidates);
      downUntil.set(node, until);
      push(t, { type: kind, node });
      push(until, { type: kind === "crash" ? "restart" : "resume", node });
    } else if (kind === "lossy") {
      if (t < lossyUntil) continue;
      lossyUntil = until;
      push(t, { type: "link", config: { drop: lossyDrop } });
      push(until, { type: "link", config: { drop: baseDrop } });
    } else {
      if (t < networkBusyUntil) continue; // one network fault at a time keeps schedules readable
      networkBusyUntil = until;
      if (kind === "partition") {
        const shuffled = rng.shuffle(nodes);
        const cutAt = rng.int(1, nodes.length - 1);
        push(t, { type: "partition", groups: [shuffled.slice(0, cutAt), shuffled.slice(cutAt)] });
        push(until, { type: "heal" });
      } else {
        const [from, to] = rng.shuffle(nodes) as [NodeId, NodeId];
        push(t, { type: "cut", from, to });
        push(until, { type: "heal", from, to });
      }
    }
  }
  return out.sort((a, b) => a.at - b.at);
}

function round(ms: number): number {
  return Math.round(ms * 1000) / 1000;
}
