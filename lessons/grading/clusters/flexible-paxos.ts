// Flexible Paxos runs for graded simulations: the student's check decides which quorum sizes a Multi-Paxos cluster runs with.

import { Rng, type NodeId } from "@course/sim";
import { checkExactlyOnceMultiPaxos, multiPaxosChecker } from "@course/check";
import { createMultiPaxosNode, type MultiPaxosMessage, type MultiPaxosNode, type QuorumCheck, type Quorums, type QuorumSystem } from "@course/paxos";
import type { SeedRun } from "../graded.js";
import { expectedVerdict, truthOf, verdictProblem } from "../quorum-oracle.js";
import { runMultiPaxos } from "./multi-paxos.js";

export type CheckQuorums = (nodes: number, phase1: QuorumSystem, phase2: QuorumSystem) => QuorumCheck;

/** A cluster size and the quorum size of each phase. */
export interface SizeConfig {
  readonly nodes: number;
  readonly phase1: number;
  readonly phase2: number;
}

const show = (c: SizeConfig) => `${c.nodes} nodes, |Q1| = ${c.phase1}, |Q2| = ${c.phase2}`;

/**
 * The regression seeds' configurations, one per seed: the boundaries first (|Q1| + |Q2| equal to N, one above it,
 * sizes of 0 and above N, clusters of 1 and 2), then a few ordinary ones. Later seeds draw at random.
 */
const BOUNDARIES: readonly SizeConfig[] = [
  { nodes: 5, phase1: 3, phase2: 2 },
  { nodes: 5, phase1: 4, phase2: 2 },
  { nodes: 5, phase1: 2, phase2: 3 },
  { nodes: 5, phase1: 2, phase2: 4 },
  { nodes: 5, phase1: 4, phase2: 1 },
  { nodes: 5, phase1: 5, phase2: 1 },
  { nodes: 5, phase1: 1, phase2: 5 },
  { nodes: 5, phase1: 1, phase2: 4 },
  { nodes: 4, phase1: 2, phase2: 2 },
  { nodes: 4, phase1: 3, phase2: 2 },
  { nodes: 3, phase1: 2, phase2: 2 },
  { nodes: 3, phase1: 1, phase2: 2 },
  { nodes: 2, phase1: 1, phase2: 1 },
  { nodes: 2, phase1: 2, phase2: 1 },
  { nodes: 1, phase1: 1, phase2: 1 },
  { nodes: 5, phase1: 6, phase2: 1 },
  { nodes: 5, phase1: 0, phase2: 5 },
  { nodes: 3, phase1: 3, phase2: 4 },
  { nodes: 6, phase1: 3, phase2: 3 },
  { nodes: 7, phase1: 5, phase2: 3 },
];

/**
 * Seed k (1-based) of the fixed set gets boundary k (of those with at least `minNodes` nodes); any other seed draws N
 * from `minNodes` to 7 and sizes from 0 to N+1.
 */
export function configForSeed(seed: number, minNodes = 1): SizeConfig {
  const fixed = BOUNDARIES.filter((c) => c.nodes >= minNodes)[seed - 1];
  if (fixed !== undefined) return fixed;
  const rng = new Rng(seed).fork("quorums");
  const nodes = rng.int(minNodes, 7);
  // Half the draws sit on the boundary |Q1| + |Q2| = N or N + 1, where mistakes show.
  const phase1 = rng.int(0, nodes + 1);
  const phase2 = rng.chance(0.5) ? Math.max(0, nodes + rng.int(0, 1) - phase1) : rng.int(0, nodes + 1);
  return { nodes, phase1, phase2 };
}

/**
 * The run that breaks quorums which miss each other. Node 0 leads; the network splits into A, nodes 0 to |Q2|-1 (a
 * phase-2 quorum with the leader), and B, the rest. A chooses alice's command in slot 0. If B holds a phase-1 quorum
 * it elects a leader that knows nothing of slot 0 and proposes bob's command there: after the network heals, its
 * higher number wins slot 0 a second time, and the safety checker stops the run. With quorums that intersect, B
 * cannot elect anyone; after the heal every command must reach every replica (liveness).
 */
export function runSplitBrain(run: SeedRun, config: SizeConfig): string | undefined {
  const nodes: NodeId[] = Array.from({ length: config.nodes }, (_, i) => i);
  const quorums: Quorums = { phase1: config.phase1, phase2: config.phase2 };
  const sim = run.simulate<MultiPaxosMessage>({
    nodes,
    createNode: createMultiPaxosNode({ initialLeader: 0, quorums }),
    hooks: [multiPaxosChecker({ quorums }), checkExactlyOnceMultiPaxos()],
  });
  const view = (id: NodeId) => sim.node<MultiPaxosNode>(id)?.inspect();
  const answered = (id: number) => sim.requests.some((r) => r.request.id === id && r.replyAt !== undefined);
  const sideA = nodes.filter((id) => id < config.phase2);
  const sideB = nodes.filter((id) => id >= config.phase2);
  sim.runUntil(() => view(0)?.role === "leader", { timeout: 2000, maxSteps: 100_000 });
  if (view(0)?.role !== "leader") return `node 0 did not become leader within 2 s with every node up (${show(config)})`;
  if (sideB.length > 0) sim.apply({ type: "partition", groups: [sideA, sideB] });
  const a = sim.request(0, { op: "a", seq: 1 }, "alice");
  sim.runUntil(() => sim.stopped || answered(a), { timeout: 2000, maxSteps: 100_000 });
  const asked: number[] = [a];
  if (sideB.length > 0) {
    // Side B waits out its election timeouts; it can only elect someone if it holds a phase-1 quorum.
    const leaderInB = () => sideB.find((id) => view(id)?.role === "leader");
    sim.runUntil(() => sim.stopped || leaderInB() !== undefined, { timeout: 1500, maxSteps: 200_000 });
    const bLeader = leaderInB();
    asked.push(sim.request(bLeader ?? (sideB[0] as NodeId), { op: "b", seq: 1 }, "bob"));
    run.drive(sim, 300, 200_000);
    if (sim.stopped) return undefined;
    sim.apply({ type: "heal" });
  }
  const late = sim.request(nodes[nodes.length - 1] as NodeId, { op: "final", seq: 1 }, "late");
  asked.push(late);
  run.drive(sim, 3000, 300_000);
  if (sim.stopped) return undefined;
  const missing = nodes.filter((id) => view(id)?.log.some((c) => c?.op === "final") !== true);
  const unanswered = asked.filter((id) => !answered(id));
  if (missing.length === 0 && unanswered.length === 0) return undefined;
  const logs = nodes.map((id) => `${id}: [${(view(id)?.log ?? []).map((c) => (c === null ? "no-op" : c.op)).join(", ")}]`).join("; ");
  return `liveness: 3 s after the network healed (${show(config)}), ${unanswered.length} client command(s) unanswered and "final" missing from replica(s) ${missing.join(", ") || "none"}. Applied logs: ${logs}`;
}

/** Random crashes, partitions and loss on a cluster with the configuration's quorums (see runMultiPaxos); two nodes or more. */
export function runFlexibleRandom(run: SeedRun, config: SizeConfig): string | undefined {
  return runMultiPaxos(run, {}, { nodes: config.nodes, quorums: { phase1: config.phase1, phase2: config.phase2 }, commands: [3, 8] });
}

/**
 * One graded seed: the student's check decides whether a cluster runs with the seed's quorum sizes. Refused: the
 * refusal must be right (a safe pair refused, or false evidence, fails). Let through: the cluster runs `body`, and a
 * pair that should not have been let through either breaks the run (the checkers' or liveness failure is the
 * evidence) or fails afterwards with the reason.
 */
export function runAdmitted(run: SeedRun, check: CheckQuorums, body: (run: SeedRun, config: SizeConfig) => string | undefined, config: SizeConfig = configForSeed(run.seed)): string | undefined {
  const phase1 = { size: config.phase1 };
  const phase2 = { size: config.phase2 };
  const verdict = check(config.nodes, phase1, phase2);
  const call = `checkQuorums(${config.nodes}, { size: ${config.phase1} }, { size: ${config.phase2} })`;
  const wrong = () => {
    const problem = verdictProblem(config.nodes, phase1, phase2, verdict);
    return problem === undefined ? undefined : `${call} returned ${JSON.stringify(verdict)}, but ${problem}. Expected ${expectedVerdict(truthOf(config.nodes, phase1, phase2))}.`;
  };
  if (verdict.ok !== true) return wrong();
  for (const [phase, size] of [[1, config.phase1], [2, config.phase2]] as const) {
    if (!(size >= 1 && size <= config.nodes)) {
      const why = size < 1 ? "a phase that needs no acceptor decides without hearing from anyone" : "no set of nodes is that large, so the phase could never finish";
      return `${call} returned {"ok":true}, letting a cluster start with a phase-${phase} quorum size of ${size}, outside 1 to ${config.nodes}: ${why}. The replicas refuse to start. Expected ${expectedVerdict(truthOf(config.nodes, phase1, phase2))}.`;
    }
  }
  const failure = body(run, config);
  if (failure !== undefined) return `${call} let the cluster run with these quorums, and the run failed: ${failure}`;
  return wrong();
}
