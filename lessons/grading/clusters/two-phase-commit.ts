// A two-phase commit run for graded simulations (2 to 6 participants): transactions while nodes crash (the coordinator too), then every one must finish as its client was told.

import { Rng, type ScheduledRequest } from "@course/sim";
import { nemesisFor, RANDOM_NETWORK, twoPcChecker } from "@course/check";
import { createTwoPcNode, type TwoPcMessage, type TwoPcNode, type TwoPcRules } from "@course/twopc";
import type { SeedRun } from "../graded.js";
import { clusterNodes } from "./shape.js";

/**
 * Node 0 coordinates a handful of transactions; the others (2 to 6 of them, from the seed) participate and vote no
 * now and then; crashes, cuts and loss strike until `faultsUntil`. The atomicity checker runs after every event.
 * Afterwards no participant may stay in doubt for long: once the coordinator is back, every prepared participant
 * must learn the outcome, and it must be the outcome the coordinator told the transaction's client.
 */
export function runTwoPhaseCommit(run: SeedRun, rules: Partial<TwoPcRules>, o: { crashRate?: number } = {}): string | undefined {
  const nodes = clusterNodes(run.seed);
  const faultsUntil = 1500;
  const rng = new Rng(run.seed).fork("workload");
  const requests: ScheduledRequest[] = [];
  const txns = rng.int(3, 6);
  for (let i = 0; i < txns; i++) requests.push({ at: Math.round(rng.uniform(0, faultsUntil * 0.8)), node: 0, op: `t${i + 1}` });
  const sim = run.simulate<TwoPcMessage>({
    nodes,
    createNode: createTwoPcNode({ rules, noProbability: 0.15 }),
    network: RANDOM_NETWORK,
    faults: run.faults(nemesisFor(run.seed, nodes, faultsUntil, { rates: { crash: o.crashRate ?? 3, pause: 1, cut: 1, lossy: 0.5 }, duration: { min: 30, max: 400 } })),
    requests,
    hooks: [twoPcChecker()],
  });
  run.drive(sim, faultsUntil + 10, 200_000);
  if (sim.stopped) return undefined;
  sim.apply({ type: "link", config: { drop: 0, duplicate: 0 } });
  run.drive(sim, 3000, 200_000);
  if (sim.stopped) return undefined;
  const stuck: string[] = [];
  for (const id of nodes) {
    const view = sim.node<TwoPcNode>(id)?.inspect();
    for (const [txn, state] of Object.entries(view?.txns ?? {})) if (state !== "committed" && state !== "aborted") stuck.push(`node ${id} is still ${state} for ${txn}`);
  }
  if (stuck.length > 0) return `liveness: 3 s after every node was back up and the network healed, ${stuck.join("; ")}. Once the coordinator is reachable, an in-doubt participant must learn the outcome.`;
  for (const r of sim.requests) {
    const answer = r.result as { txn?: string; decision?: string } | undefined;
    if (answer?.decision === undefined || answer.txn === undefined) continue;
    const outcome = answer.decision === "commit" ? "committed" : "aborted";
    const other = nodes.slice(1).find((id) => {
      const state = sim.node<TwoPcNode>(id)?.inspect().txns?.[answer.txn as string];
      return state !== undefined && state !== outcome;
    });
    if (other !== undefined) return `reply: the client of ${answer.txn} was told "${answer.decision}", but participant ${other} ended ${sim.node<TwoPcNode>(other)?.inspect().txns?.[answer.txn]}`;
  }
  return undefined;
}
