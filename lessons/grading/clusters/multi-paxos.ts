// A Multi-Paxos run (five replicas unless told otherwise) for graded simulations: commands under faults and leader changes, then catch-up.

import { Rng, type NodeId, type ScheduledRequest } from "@course/sim";
import { checkExactlyOnceMultiPaxos, multiPaxosChecker, nemesisFor, RANDOM_NETWORK } from "@course/check";
import { createMultiPaxosNode, type MultiPaxosMessage, type MultiPaxosNode, type MultiPaxosRules, type Quorums } from "@course/paxos";
import type { SeedRun } from "../graded.js";

/**
 * Clients send commands to random replicas while crashes and partitions force leader changes (each one runs
 * phase 1 and the merge); each command comes from a client of its own (number 1), so no client has two
 * outstanding. Once everything heals, one more command must be applied by every replica.
 */
export interface MultiPaxosRunOptions {
  readonly crashRate?: number;
  /** Loss on every link during the faults (default: the shared random network's 5%). */
  readonly drop?: number;
  /** How many client commands, as [min, max] (default 4-10). */
  readonly commands?: readonly [number, number];
  /** Cluster size (default 5). */
  readonly nodes?: number;
  /** Quorum sizes of both phases (default majorities). */
  readonly quorums?: Quorums;
}

export function runMultiPaxos(run: SeedRun, rules: Partial<MultiPaxosRules>, o: MultiPaxosRunOptions = {}): string | undefined {
  const nodes: readonly NodeId[] = Array.from({ length: o.nodes ?? 5 }, (_, i) => i);
  const faultsUntil = 1500;
  const rng = new Rng(run.seed).fork("workload");
  const requests: ScheduledRequest[] = [];
  const commands = rng.int(...(o.commands ?? [4, 10]));
  for (let i = 0; i < commands; i++) requests.push({ at: Math.round(rng.uniform(0, faultsUntil)), node: rng.pick(nodes), op: { op: `c${i + 1}`, seq: 1 }, client: `client-${i + 1}` });
  const sim = run.simulate<MultiPaxosMessage>({
    nodes,
    createNode: createMultiPaxosNode(o.quorums === undefined ? { rules } : { rules, quorums: o.quorums }),
    network: o.drop === undefined ? RANDOM_NETWORK : { ...RANDOM_NETWORK, drop: o.drop },
    faults: run.faults(nemesisFor(run.seed, nodes, faultsUntil, { rates: { crash: o.crashRate ?? 2.5, pause: 1, partition: 1, cut: 1, lossy: 0.7 }, duration: { min: 50, max: 600 } })),
    requests,
    hooks: [multiPaxosChecker(o.quorums === undefined ? {} : { quorums: o.quorums }), checkExactlyOnceMultiPaxos()],
  });
  run.drive(sim, faultsUntil + 10, 300_000);
  if (sim.stopped) return undefined;
  sim.apply({ type: "link", config: { drop: 0, duplicate: 0 } });
  const asked = sim.request(rng.pick(nodes), { op: "final", seq: 1 }, "late");
  run.drive(sim, 4000, 300_000);
  if (sim.stopped) return undefined;
  const missing = nodes.filter((id) => sim.node<MultiPaxosNode>(id)?.inspect().log.some((c) => c?.op === "final") !== true);
  const answered = sim.requests.some((r) => r.request.id === asked && r.replyAt !== undefined);
  if (missing.length === 0 && answered) return undefined;
  const logs = nodes.map((id) => `${id}: [${(sim.node<MultiPaxosNode>(id)?.inspect().log ?? []).map((c) => (c === null ? "no-op" : c.op)).join(", ")}]`).join("; ");
  return `liveness: 4 s after every fault healed, the command "final" ${answered ? "was answered but" : "was not answered and"} is missing from the log of replica(s) ${missing.join(", ") || "none"}. A hole in a log (a slot nobody re-proposed) stops every later command. Applied logs: ${logs}`;
}
