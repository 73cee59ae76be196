// A Basic Paxos run for graded simulations (3 to 7 nodes): competing proposers, random faults, then every node is asked and every answer checked.

import { randomFaults, type NodeId } from "@course/sim";
import { paxosChecker } from "@course/check";
import { createPaxosNode, type BasicPaxosNode, type PaxosMessage, type PaxosRules } from "@course/paxos";
import type { SeedRun } from "../graded.js";
import { clusterNodes } from "./shape.js";

export interface BasicPaxosRunOptions {
  readonly rules: Partial<PaxosRules>;
  /** Fault rates per simulated second during the first `faultsUntil` ms. */
  readonly rates?: { crash?: number; pause?: number; partition?: number; cut?: number; lossy?: number };
  readonly faultsUntil?: number;
  /** Probability that the network delivers a message twice. */
  readonly duplicate?: number;
}

const NODES: readonly NodeId[] = [0, 1, 2, 3, 4];

/**
 * Three clients propose different values at different nodes while faults strike; once everything has healed,
 * every node is asked again. Returns a failure sentence when a node never answers, two answers differ, or a client
 * was told a value other than the one chosen (the safety checker stops the run earlier if two values are ever chosen).
 */
export function runBasicPaxos(run: SeedRun, o: BasicPaxosRunOptions): string | undefined {
  const nodes = clusterNodes(run.seed);
  const at = (k: number) => nodes[k % nodes.length] as NodeId;
  const faultsUntil = o.faultsUntil ?? 1500;
  const rates = o.rates ?? { crash: 1.5, pause: 1, partition: 1, cut: 1, lossy: 0.5 };
  const faults = run.faults(randomFaults({ seed: run.seed, nodes, end: faultsUntil, rates, duration: { min: 50, max: 600 } }));
  const sim = run.simulate<PaxosMessage>({
    nodes,
    createNode: createPaxosNode({ rules: o.rules }),
    network: { latency: { kind: "exponential", min: 1, mean: 8, max: 60 }, duplicate: o.duplicate ?? 0.05 },
    faults,
    // Three proposers start close together so that their rounds interleave.
    requests: [
      { at: 5, node: at(0), op: `v${run.seed % 97}-a`, client: "a" },
      { at: 8 + (run.seed % 7), node: at(2), op: `v${run.seed % 89}-b`, client: "b" },
      { at: 12 + (run.seed % 11), node: at(4), op: `v${run.seed % 83}-c`, client: "c" },
    ],
    hooks: [paxosChecker()],
  });
  run.drive(sim, faultsUntil + 10, 400_000);
  if (sim.stopped) return undefined;
  // After healing, every node must come to know the one chosen value.
  const probes = nodes.map((node) => sim.request(node, `late-${node}`, `probe-${node}`));
  run.drive(sim, 4000, 400_000);
  if (sim.stopped) return undefined;
  const answers = new Map<NodeId, unknown>();
  for (const r of sim.requests) if (probes.includes(r.request.id) && r.replyAt !== undefined) answers.set(r.node, (r.result as { chosen?: unknown })?.chosen);
  const silent = nodes.filter((n) => !answers.has(n));
  if (silent.length > 0) {
    const learned = nodes.map((n) => `${n}: ${sim.node<BasicPaxosNode>(n)?.inspect().learned ?? "nothing"}`).join(", ");
    return `liveness: 4 s after every fault had healed, node(s) ${silent.join(", ")} still had not learned a chosen value (learned so far: ${learned}). A majority of acceptors is up and connected, so a value must be chosen.`;
  }
  const distinct = new Set([...answers.values()].map((v) => JSON.stringify(v)));
  if (distinct.size > 1) return `agreement: nodes answered different chosen values: ${[...answers].map(([n, v]) => `${n}: ${JSON.stringify(v)}`).join(", ")}`;
  // Every client that got an answer during the run must have been told the chosen value.
  const chosen = [...answers.values()][0];
  for (const r of sim.requests) {
    if (probes.includes(r.request.id) || r.replyAt === undefined) continue;
    const told = (r.result as { chosen?: unknown })?.chosen;
    if (JSON.stringify(told) !== JSON.stringify(chosen)) return `reply: client ${r.request.client} was told ${JSON.stringify(told)} was chosen, but the value chosen is ${JSON.stringify(chosen)}`;
  }
  return undefined;
}

/**
 * A proposer restarts in the middle of a round and is asked for a new value. Node 0's first accept (round 1)
 * reaches only node 1; node 0 crashes and restarts; node 1's answers to node 0 are lost from then on. If node 0
 * numbers its next round from its durable round, acceptors see a new number; if it reuses round 1, node 1
 * receives a second value for the same proposal number (Paxos Made Simple §2.3: numbers are never reused).
 */
export function runRestartedProposer(run: SeedRun, rules: Partial<PaxosRules>): string | undefined {
  const sim = run.simulate<PaxosMessage>({
    nodes: NODES,
    createNode: createPaxosNode({ rules }),
    network: { latency: { kind: "fixed", ms: 5 } },
    hooks: [paxosChecker()],
  });
  sim.request(0, `first-${run.seed}`, "a");
  // Promises are back at 10 ms and the accepts leave then: let them reach node 1 only.
  run.drive(sim, 8, 10_000);
  for (const to of [0, 2, 3, 4]) sim.apply({ type: "cut", from: 0, to });
  run.drive(sim, 6, 10_000);
  sim.apply({ type: "crash", node: 0 });
  run.drive(sim, 20, 10_000);
  sim.apply({ type: "heal" });
  sim.apply({ type: "cut", from: 1, to: 0 });
  sim.apply({ type: "restart", node: 0 });
  sim.request(0, `second-${run.seed}`, "b");
  run.drive(sim, 500, 100_000);
  return undefined;
}
