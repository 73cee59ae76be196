// Randomized fault runs of Multi-Paxos: commands from clients under faults; then liveness and catch-up.

import { Rng, Simulation, type ScheduledRequest } from "@course/sim";
import { createMultiPaxosNode, type MultiPaxosMessage, type MultiPaxosNode, type MultiPaxosNodeOptions } from "@course/paxos";
import { multiPaxosChecker } from "./multipaxos.js";
import { RANDOM_NETWORK, nemesisFor, type RandomRunOptions } from "./paxos-random.js";
import { finishRandomRun, type RandomRunResult } from "./random-run.js";

/**
 * One reproducible run: clients send commands to random replicas while the nemesis works; the checker runs
 * after every step. Once the faults stop, one more command must be applied by every replica (so lagging
 * replicas must catch up) within `livenessBound`.
 */
export function runMultiPaxosRandom(seed: number, options: RandomRunOptions<MultiPaxosNodeOptions> = {}): RandomRunResult {
  const nodes = Array.from({ length: options.nodes ?? 5 }, (_, i) => i);
  const until = options.faultsUntil ?? 1500;
  const rng = new Rng(seed).fork("workload");
  const requests: ScheduledRequest[] = [];
  const commands = rng.int(...(options.clients ?? [3, 8]));
  for (let i = 0; i < commands; i++) requests.push({ at: Math.round(rng.uniform(0, until)), node: rng.pick(nodes), op: `c${i + 1}` });
  const sim = new Simulation<MultiPaxosMessage>({
    seed,
    nodes,
    createNode: createMultiPaxosNode(options.node),
    network: { ...RANDOM_NETWORK, ...(options.network ?? {}) },
    faults: nemesisFor(seed, nodes, until, options.nemesis, options.network?.drop),
    requests,
    record: false,
    hooks: [multiPaxosChecker()],
  });
  return finishRandomRun(sim, until, options.livenessBound ?? 4000, () => {
    const asked = sim.request(rng.pick(nodes), "final");
    return (s) =>
      s.nodeIds.every((id) => s.node<MultiPaxosNode>(id)?.inspect().log.includes("final") === true) && s.requests.some((r) => r.request.id === asked && r.replyAt !== undefined);
  });
}
