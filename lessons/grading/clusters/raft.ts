// A five-server Raft run for graded simulations: clients append through sessions while faults strike; then liveness.

import { randomFaults, type NemesisOptions, type NodeFactory, type NodeId, type ScheduledRequest } from "@course/sim";
import { kvHistoryFromRequests, raftInvariants } from "@course/check";
import { createRaftNode, leaderOf, type ClientResult, type Command, type KvImage, type RaftMessage, type RaftNode, type RaftOptions } from "@course/raft";
import type { SeedRun } from "../graded.js";

export interface RaftRunOptions {
  readonly raft: RaftOptions;
  readonly rates?: NemesisOptions["rates"];
  /** Faults happen before this time (ms); then everything heals. */
  readonly faultsUntil?: number;
  /** Quiet time after healing in which a leader must commit a last write. */
  readonly settle?: number;
  readonly clients?: number;
  readonly nodes?: number;
  /** Probability a message is duplicated; latency spread (reordering). */
  readonly duplicate?: number;
  readonly maxLatency?: number;
  /** Replace the state machine's apply step (exercise 11); snapshots must stay off, they rebuild the course's store. */
  readonly applyCommand?: ApplyCommand;
}

export type ApplyCommand = (state: KvImage, command: Command) => { state: KvImage; result: string | null };

/**
 * A stand-in for the server's KvStore that runs `applyCommand` on every committed entry. The node only calls
 * apply, get, entries and toJSON, so this is all it needs.
 */
class PluggedStateMachine {
  constructor(
    private image: KvImage,
    private readonly applyCommand: ApplyCommand,
  ) {}
  apply(command: Command): string | null {
    const { state, result } = this.applyCommand(this.image, command);
    this.image = state;
    return result;
  }
  get(key: string): string | null {
    return this.image.data[key] ?? null;
  }
  entries(): Record<string, string> {
    return { ...this.image.data };
  }
  toJSON(): KvImage {
    return this.image;
  }
}

/** The reference server, with the state machine's apply step replaced; re-plugged at every restart. */
function withStateMachine(factory: NodeFactory<RaftMessage>, applyCommand: ApplyCommand): NodeFactory<RaftMessage> {
  return (ctx) => {
    const node = factory(ctx) as RaftNode;
    node.kv = new PluggedStateMachine(node.kv.toJSON(), applyCommand) as unknown as RaftNode["kv"];
    return node;
  };
}

export const DEFAULT_RAFT_RATES = { crash: 0.8, pause: 0.4, partition: 0.6, cut: 0.4, lossy: 0.3 } as const;

/** Each client appends "seq;" tokens to its own key, trying several servers per op (sessions drop the repeats, §8). */
function clientSchedule(seed: number, nodes: readonly NodeId[], clients: number, until: number): ScheduledRequest[] {
  const out: ScheduledRequest[] = [];
  for (let c = 0; c < clients; c++) {
    for (let seq = 1, t = 20 + c * 7; t < until; seq++, t += 150) {
      for (let attempt = 0; attempt < 3; attempt++) {
        const node = nodes[(seq + attempt + c + seed) % nodes.length] as NodeId;
        out.push({ at: t + attempt * 40, node, client: `c${c}`, op: { type: "append", key: `k${c}`, value: `${seq};`, seq } });
      }
    }
  }
  return out;
}

/**
 * Runs the cluster under the nemesis with every Raft invariant checked after every event, then heals
 * everything and requires a leader to commit one more write and every acknowledged write to be applied
 * exactly once. Returns a failure sentence, or undefined (a violation stops the run and is reported by the harness).
 */
export function runRaft(run: SeedRun, o: RaftRunOptions): string | undefined {
  const nodes = Array.from({ length: o.nodes ?? 5 }, (_, i) => i);
  const faultsUntil = o.faultsUntil ?? 2500;
  const sim = run.simulate<RaftMessage>({
    nodes,
    createNode: o.applyCommand === undefined ? createRaftNode(o.raft) : withStateMachine(createRaftNode(o.raft), o.applyCommand),
    network: { latency: { kind: "uniform", min: 1, max: o.maxLatency ?? 12 }, duplicate: o.duplicate ?? 0.02 },
    faults: run.faults(randomFaults({ seed: run.seed, nodes, end: faultsUntil, rates: o.rates ?? DEFAULT_RAFT_RATES })),
    requests: clientSchedule(run.seed, nodes, o.clients ?? 2, faultsUntil),
    hooks: raftInvariants(),
  });
  run.drive(sim, faultsUntil + 10, 400_000);
  if (sim.stopped) return undefined;
  sim.apply({ type: "link", config: { drop: 0, duplicate: 0 } });
  // A last write, offered to every server in turn until one leader takes it (one session number: applied once).
  const settle = o.settle ?? 3000;
  const finalIds: number[] = [];
  for (let t = 0; t < settle - 500; t += 100) {
    finalIds.push(sim.request(nodes[(t / 100) % nodes.length] as NodeId, { type: "append", key: "final", value: "done;", seq: 1 }, "final"));
    run.drive(sim, 100, 100_000);
    if (sim.stopped) return undefined;
    if (finalIds.some((id) => (sim.requests.find((r) => r.request.id === id)?.result as ClientResult | undefined)?.ok === true)) break;
  }
  run.drive(sim, 300, 100_000);
  if (sim.stopped) return undefined;
  const committed = finalIds.some((id) => (sim.requests.find((r) => r.request.id === id)?.result as ClientResult | undefined)?.ok === true);
  if (committed) {
    // Every server is up and reachable now: within a second each must hold the last write and know it is committed.
    const finalIndex = finalIds
      .map((id) => (sim.requests.find((r) => r.request.id === id)?.result as ClientResult | undefined))
      .find((r) => r?.ok === true && r.index !== undefined) as { index?: number } | undefined;
    run.drive(sim, 1000, 200_000);
    if (sim.stopped) return undefined;
    // Compare with the server that knows the most is committed: its entry at finalIndex is the committed one.
    const index = finalIndex?.index;
    let ref: RaftNode | undefined;
    for (const id of nodes) {
      const n = sim.node<RaftNode>(id);
      if (n !== undefined && (ref === undefined || n.commitIndex > ref.commitIndex)) ref = n;
    }
    const term = index === undefined ? undefined : ref?.log.termAt(index);
    // An entry folded into a snapshot is held too (snapshots only cover committed entries, §7).
    const holds = (n: RaftNode | undefined) => n !== undefined && index !== undefined && (n.log.snapshotIndex >= index || n.log.termAt(index) === term);
    const behind = index === undefined ? [] : term === undefined && ref !== undefined && ref.log.snapshotIndex < index ? nodes : nodes.filter((id) => !holds(sim.node<RaftNode>(id)));
    if (behind.length > 0) {
      const state = behind.map((id) => {
        const n = sim.node<RaftNode>(id) as RaftNode;
        return `${id}: log ends at ${n.log.lastIndex} (term ${n.log.lastTerm}), entry ${index} has term ${n.log.termAt(index as number) ?? "none"}`;
      });
      return `catch-up: 1 s after the last write committed at index ${index} (term ${term}), with every server up and every link working, server(s) ${state.join("; ")} still did not hold it. The leader must repair lagging or divergent followers.`;
    }
  }
  if (!committed) {
    const leader = leaderOf(sim);
    const roles = nodes.map((id) => {
      const n = sim.node<RaftNode>(id);
      return n === undefined ? `${id}: down` : `${id}: ${n.role} term ${n.currentTerm} log ${n.log.lastIndex} commit ${n.commitIndex}`;
    });
    return `liveness: ${settle} ms after every fault healed, no leader committed a new write (${leader === undefined ? "no leader" : `leader ${leader.id}`}; ${roles.join(", ")})`;
  }
  return lostWrites(sim, nodes) ?? notLinearizable(sim, nodes);
}

/** The server that has applied the most entries: every acknowledged write is in its state machine. */
function mostApplied(sim: import("@course/sim").Simulation<RaftMessage>, nodes: readonly NodeId[]): RaftNode | undefined {
  let best: RaftNode | undefined;
  for (const id of nodes) {
    const n = sim.node<RaftNode>(id);
    if (n !== undefined && (best === undefined || n.lastApplied > best.lastApplied)) best = n;
  }
  return best;
}

/**
 * The clients' appends and the final values must be linearizable. Each key has one client appending "seq;" tokens,
 * so a key's final value names, in order, the appends that took effect: a linearization exists exactly when every
 * token comes from an append of that key, at most once, and no append follows one that had been answered before it
 * was sent (real-time order). Acknowledged appends missing from the value are reported by lostWrites. Checked
 * directly rather than by a general search: with appends whose outcome is unknown, a search has to try each of them
 * in and out of every place, while the final value already fixes the order.
 */
function notLinearizable(sim: import("@course/sim").Simulation<RaftMessage>, nodes: readonly NodeId[]): string | undefined {
  const best = mostApplied(sim, nodes);
  if (best === undefined) return undefined;
  const { operations } = kvHistoryFromRequests(sim.requests);
  const byKey = new Map<string, Map<string, { call: number; return: number }>>();
  for (const o of operations) {
    if (o.input.op !== "append") continue;
    const ops = byKey.get(o.input.key) ?? new Map<string, { call: number; return: number }>();
    byKey.set(o.input.key, ops);
    ops.set(o.input.value, { call: o.call, return: o.return });
  }
  for (const [key, ops] of byKey) {
    const value = best.kv.get(key) ?? "";
    const tokens = value.split(";").slice(0, -1).map((t) => `${t};`);
    const seen = new Set<string>();
    let latestSent: { token: string; at: number } | undefined;
    for (const token of tokens) {
      const op = ops.get(token);
      const where = `the final value of ${key} on server ${best.id} is "${value}"`;
      if (op === undefined) return `linearizability: ${where}, but no client ever appended "${token}" to ${key}`;
      if (seen.has(token)) return `linearizability: ${where}, with "${token}" twice, though its client appended it once`;
      seen.add(token);
      // Real-time order: an append placed after another must not have been answered before that other was sent.
      if (latestSent !== undefined && op.return < latestSent.at) {
        return `linearizability: ${where}: "${token}" comes after "${latestSent.token}", but "${token}" was answered at ${op.return.toFixed(1)} ms, before "${latestSent.token}" was even sent`;
      }
      if (latestSent === undefined || op.call > latestSent.at) latestSent = { token, at: op.call };
    }
  }
  return undefined;
}

/** Every acknowledged append must be in the state machine exactly once. */
function lostWrites(sim: import("@course/sim").Simulation<RaftMessage>, nodes: readonly NodeId[]): string | undefined {
  const best = mostApplied(sim, nodes);
  if (best === undefined) return "every server is down at the end";
  for (const r of sim.requests) {
    const res = r.result as ClientResult | undefined;
    const op = r.request.op as { type?: string; key?: string; value?: string };
    if (!res?.ok || op.type !== "append" || op.key === undefined || op.value === undefined) continue;
    const value = best.kv.get(op.key) ?? "";
    const count = value.split(";").filter((p) => `${p};` === op.value).length;
    if (count !== 1) return `durability: the write ${op.key} += "${op.value}" was acknowledged to its client but appears ${count} times in the state machine of server ${best.id} ("${value}")`;
  }
  return undefined;
}
