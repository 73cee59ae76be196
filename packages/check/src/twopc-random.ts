// Randomized fault runs of two-phase commit: transactions under faults, some no votes; then every one finishes.

import { Rng, Simulation, type ScheduledRequest } from "@course/sim";
import { createTwoPcNode, type TwoPcMessage, type TwoPcNode, type TwoPcNodeOptions } from "@course/twopc";
import { twoPcChecker } from "./twopc.js";
import { RANDOM_NETWORK, nemesisFor, type RandomRunOptions } from "./paxos-random.js";
import { finishRandomRun, type RandomRunResult } from "./random-run.js";

/**
 * One reproducible run: the coordinator (node 0) runs a few transactions while the nemesis crashes nodes (the
 * coordinator too), cuts links and loses messages; participants vote no now and then. Once the faults stop,
 * every participant that heard of a transaction must reach commit or abort within `livenessBound`: 2PC only
 * blocks while the coordinator is down.
 */
export function runTwoPcRandom(seed: number, options: RandomRunOptions<TwoPcNodeOptions> = {}): RandomRunResult {
  const nodes = Array.from({ length: options.nodes ?? 5 }, (_, i) => i);
  const until = options.faultsUntil ?? 1500;
  const rng = new Rng(seed).fork("workload");
  const requests: ScheduledRequest[] = [];
  const txns = rng.int(...(options.clients ?? [2, 5]));
  for (let i = 0; i < txns; i++) requests.push({ at: Math.round(rng.uniform(0, until * 0.8)), node: 0, op: `t${i + 1}` });
  const sim = new Simulation<TwoPcMessage>({
    seed,
    nodes,
    createNode: createTwoPcNode({ noProbability: 0.15, ...(options.node ?? {}) }),
    network: { ...RANDOM_NETWORK, ...(options.network ?? {}) },
    faults: nemesisFor(seed, nodes, until, options.nemesis, options.network?.drop),
    requests,
    record: false,
    hooks: [twoPcChecker()],
  });
  const allDone = (s: Simulation<TwoPcMessage>) =>
    s.nodeIds.every((id) => {
      const view = s.node<TwoPcNode>(id)?.inspect();
      return view !== undefined && Object.values(view.txns).every((t) => t === "committed" || t === "aborted");
    });
  return finishRandomRun(sim, until, options.livenessBound ?? 3000, () => allDone);
}
