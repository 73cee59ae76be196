// Helpers for scripted Raft runs (lessons and tests): find the leader, wait for one, script who times out when.

import type { NodeId, Simulation } from "@course/sim";
import type { RaftNode } from "./node.js";
import type { RaftMessage } from "./types.js";

/** The live leader with the highest term, if any. */
export function leaderOf(sim: Simulation<RaftMessage>): RaftNode | undefined {
  let best: RaftNode | undefined;
  for (const id of sim.nodeIds) {
    const n = sim.node<RaftNode>(id);
    if (n?.role === "leader" && (best === undefined || n.currentTerm > best.currentTerm)) best = n;
  }
  return best;
}

/** Live nodes, as Raft servers. */
export function raftNodes(sim: Simulation<RaftMessage>): RaftNode[] {
  return sim.nodeIds.map((id) => sim.node<RaftNode>(id)).filter((n): n is RaftNode => n !== undefined);
}

/** Run until some live server leads (and no other live server claims a higher term); returns it or undefined. */
export function waitForLeader(sim: Simulation<RaftMessage>, timeout = 5000): RaftNode | undefined {
  const settled = (s: Simulation<RaftMessage>) => {
    const l = leaderOf(s);
    return l !== undefined && raftNodes(s).every((n) => n.currentTerm <= l.currentTerm);
  };
  sim.runUntil(settled, { timeout });
  return settled(sim) ? leaderOf(sim) : undefined;
}

/** One window of a timeout script: from `from` (inclusive) to `to` (exclusive) virtual ms, `node` times out after `ms`. */
export interface TimeoutWindow {
  readonly from: number;
  readonly to: number;
  readonly node: NodeId | "others";
  readonly ms: number;
}

/**
 * Builds an `electionTimeoutOverride` from windows: the first window covering (node, now) wins, "others" matches
 * any node not named in a window covering that time. Outside every window the random timeout applies.
 */
export function scriptedTimeouts(windows: readonly TimeoutWindow[]): (node: NodeId, now: number) => number | undefined {
  return (node, now) => {
    const active = windows.filter((w) => now >= w.from && now < w.to);
    const own = active.find((w) => w.node === node);
    if (own) return own.ms;
    return active.find((w) => w.node === "others")?.ms;
  };
}

/** Whether request `id` got a successful reply. */
export function succeeded(sim: Simulation<RaftMessage>, id: number): boolean {
  const r = sim.requests.find((q) => q.request.id === id)?.result as { ok?: boolean } | undefined;
  return r?.ok === true;
}
