// Test helper for scripted Raft scenarios: a checked cluster, leader lookup and client calls that wait for a reply.

import { Simulation, type LinkConfig, type NodeId, type Rng } from "@course/sim";
import { createRaftNode, leaderOf, raftNodes, type ClientResult, type RaftMessage, type RaftNode, type RaftOptions } from "@course/raft";
import { raftInvariants } from "../src/index.js";

export function checkedCluster(n: number, options: RaftOptions = {}, seed = 1, network?: Partial<LinkConfig>, record = false): Simulation<RaftMessage> {
  return new Simulation<RaftMessage>({
    seed,
    nodes: Array.from({ length: n }, (_, k) => k),
    createNode: createRaftNode(options),
    hooks: raftInvariants(),
    record,
    ...(network ? { network } : {}),
  });
}

/** Run until exactly one leader is recognised by every live, connected server (checked by terms), or time out. */
export function electLeader(sim: Simulation<RaftMessage>, timeout = 3000): RaftNode {
  const ok = sim.runUntil(() => leaderOf(sim) !== undefined, { timeout });
  sim.assertNoViolation();
  if (!ok) throw new Error(`no leader within ${timeout} ms`);
  return leaderOf(sim) as RaftNode;
}

/** Ask the current leader to run `op` (retrying on whoever leads) until it succeeds; returns the reply. */
export function submit(sim: Simulation<RaftMessage>, op: unknown, client = "client", timeout = 5000): ClientResult {
  const deadline = sim.now + timeout;
  while (sim.now < deadline) {
    const leader = leaderOf(sim);
    if (leader === undefined) {
      sim.runFor(20);
      continue;
    }
    const id = sim.request(leader.id, op, client);
    sim.runUntil(() => sim.requests.find((r) => r.request.id === id)?.result !== undefined, { timeout: 500 });
    sim.assertNoViolation();
    const res = sim.requests.find((r) => r.request.id === id)?.result as ClientResult | undefined;
    if (res?.ok) return res;
    sim.runFor(20);
  }
  throw new Error(`request ${JSON.stringify(op)} did not succeed within ${timeout} ms`);
}

/**
 * The classic lab's `one()`: submit `op` until a leader commits it, then wait until at least `expected` servers
 * have that index committed (and agree on it); returns the index.
 */
export function one(sim: Simulation<RaftMessage>, op: unknown, expected: number, client = "client", timeout = 10_000): number {
  const { index } = submit(sim, op, client, timeout) as { index: number };
  const reached = sim.runUntil(() => committedOn(sim, index).count >= expected, { timeout: 2000 });
  sim.assertNoViolation();
  const c = committedOn(sim, index);
  if (!reached) throw new Error(`index ${index} (${JSON.stringify(op)}) is committed on ${c.count} servers, not ${expected}`);
  if (c.commands.size > 1) throw new Error(`servers disagree on index ${index}: ${[...c.commands].join(" / ")}`);
  return index;
}

/** How many live servers have the entry at `index` committed, and whether they agree on it. */
export function committedOn(sim: Simulation<RaftMessage>, index: number): { count: number; commands: Set<string> } {
  const commands = new Set<string>();
  let count = 0;
  for (const n of raftNodes(sim)) {
    if (n.commitIndex >= index) {
      count++;
      const e = n.log.entryAt(index);
      if (e) commands.add(JSON.stringify(e.command));
    }
  }
  return { count, commands };
}

export function terms(sim: Simulation<RaftMessage>): number[] {
  return raftNodes(sim).map((n) => n.currentTerm);
}

export function others(sim: Simulation<RaftMessage>, id: NodeId): NodeId[] {
  return sim.nodeIds.filter((x) => x !== id);
}

/** `length` random lowercase letters: a command's payload for byte counts. */
export function randomText(rng: Rng, length: number): string {
  return Array.from({ length }, () => String.fromCharCode(97 + rng.int(0, 25))).join("");
}

/** Bytes of every message sent so far (the simulator counts them while it copies messages, its default). */
export function bytesSent(sim: Simulation<RaftMessage>): number {
  return sim.counters.total().bytes;
}
