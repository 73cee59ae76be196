// Test helper: a five-node Raft cluster under a random fault schedule, with clients writing through sessions.

import { randomFaults, Simulation, type NemesisOptions, type NodeId, type ScheduledRequest } from "@course/sim";
import { createRaftNode, type ClientResult, type RaftMessage, type RaftNode, type RaftOptions } from "@course/raft";
import { raftInvariants, type RaftHook } from "../src/index.js";

export interface RandomRunOptions {
  readonly seed: number;
  readonly nodes?: readonly NodeId[];
  /** Faults happen in [0, faultsUntil); then everything heals. */
  readonly faultsUntil?: number;
  /** Quiet time after healing, in which a leader must emerge and a last write must commit. */
  readonly settle?: number;
  readonly raft?: RaftOptions;
  readonly rates?: NemesisOptions["rates"];
  readonly network?: ConstructorParameters<typeof Simulation>[0]["network"];
  readonly clients?: number;
  readonly record?: boolean;
  readonly hooks?: readonly RaftHook[];
}

export const DEFAULT_RATES = { crash: 0.6, pause: 0.3, partition: 0.5, cut: 0.3, lossy: 0.3 } as const;

/** Each client appends "c<k>;" tokens with session numbers, retrying every op on several servers (sessions drop the repeats). */
export function clientSchedule(seed: number, nodes: readonly NodeId[], clients: number, until: number): ScheduledRequest[] {
  const out: ScheduledRequest[] = [];
  for (let c = 0; c < clients; c++) {
    for (let seq = 1, t = 20 + c * 7; t < until; seq++, t += 150) {
      for (let attempt = 0; attempt < 4; attempt++) {
        const node = nodes[(seq + attempt + c + seed) % nodes.length] as NodeId;
        out.push({ at: t + attempt * 35, node, client: `c${c}`, op: { type: "append", key: `k${c}`, value: `${seq};`, seq } });
      }
    }
  }
  return out;
}

export function randomRun(o: RandomRunOptions): Simulation<RaftMessage> {
  const nodes = o.nodes ?? [0, 1, 2, 3, 4];
  const faultsUntil = o.faultsUntil ?? 3000;
  // The nemesis ends a lossy period by restoring the run's own loss rate, not the simulator's default of none.
  const faults = randomFaults({ seed: o.seed, nodes, end: faultsUntil, rates: o.rates ?? DEFAULT_RATES, ...(o.network ? { network: o.network } : {}) });
  return new Simulation<RaftMessage>({
    seed: o.seed,
    nodes,
    createNode: createRaftNode(o.raft ?? {}),
    faults,
    requests: clientSchedule(o.seed, nodes, o.clients ?? 2, faultsUntil),
    record: o.record ?? false,
    hooks: o.hooks ?? raftInvariants(),
    ...(o.network ? { network: o.network } : {}),
  });
}

export function leaderOf(sim: Simulation<RaftMessage>): NodeId | undefined {
  let best: RaftNode | undefined;
  for (const id of sim.nodeIds) {
    const n = sim.node<RaftNode>(id);
    if (n?.role === "leader" && (best === undefined || n.currentTerm > best.currentTerm)) best = n;
  }
  return best?.id;
}

/** Acknowledged writes, per client key, as the tokens they appended. */
export function acknowledged(sim: Simulation<RaftMessage>): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const r of sim.requests) {
    const res = r.result as ClientResult | undefined;
    const op = r.request.op as { type?: string; key?: string; value?: string };
    if (res?.ok && op.type === "append" && op.key !== undefined && op.value !== undefined) {
      const list = out.get(op.key) ?? [];
      if (!list.includes(op.value)) list.push(op.value);
      out.set(op.key, list);
    }
  }
  return out;
}

/** Problems with the end state: every acknowledged token present exactly once in the leader's store. */
export function lostOrDuplicatedWrites(sim: Simulation<RaftMessage>, leader: RaftNode): string[] {
  const problems: string[] = [];
  for (const [key, tokens] of acknowledged(sim)) {
    const value = leader.kv.get(key) ?? "";
    const parts = value.split(";").filter((s) => s !== "");
    for (const t of tokens) {
      const n = parts.filter((p) => `${p};` === t).length;
      if (n !== 1) problems.push(`${key}: acknowledged ${t} appears ${n} times in "${value}"`);
    }
    if (new Set(parts).size !== parts.length) problems.push(`${key}: a token was applied twice in "${value}"`);
  }
  return problems;
}

/** The live server that has applied the most entries: the fullest picture of the state machine. */
export function mostApplied(sim: Simulation<RaftMessage>): RaftNode {
  let best: RaftNode | undefined;
  for (const id of sim.nodeIds) {
    const n = sim.node<RaftNode>(id);
    if (n !== undefined && (best === undefined || n.lastApplied > best.lastApplied)) best = n;
  }
  if (best === undefined) throw new Error("every server is down");
  return best;
}
