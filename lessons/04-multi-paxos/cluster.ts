// The five-replica Multi-Paxos cluster the lesson's scenarios run on, with the safety checker attached.

import { Simulation, type LinkConfig, type ScheduledFault, type TraceEvent } from "@course/sim";
import { createMultiPaxosNode, type MultiPaxosInspection, type MultiPaxosMessage, type MultiPaxosNode, type MultiPaxosNodeOptions } from "@course/paxos";
import { multiPaxosChecker } from "@course/check";

export const FIVE = [0, 1, 2, 3, 4] as const;

export function multiCluster(seed: number, options: { node?: MultiPaxosNodeOptions; faults?: ScheduledFault[]; network?: Partial<LinkConfig> } = {}): Simulation<MultiPaxosMessage> {
  return new Simulation<MultiPaxosMessage>({
    seed,
    nodes: FIVE,
    createNode: createMultiPaxosNode(options.node),
    faults: options.faults ?? [],
    ...(options.network === undefined ? {} : { network: options.network }),
    hooks: [multiPaxosChecker()],
    record: true,
  });
}

export function inspect(sim: Simulation<MultiPaxosMessage>, id: number): MultiPaxosInspection | undefined {
  return sim.node<MultiPaxosNode>(id)?.inspect();
}

export function leaderOf(sim: Simulation<MultiPaxosMessage>): number | undefined {
  return FIVE.find((id) => inspect(sim, id)?.role === "leader");
}

/** "['x=1', no-op]" */
export function showLog(log: readonly (string | null)[] | undefined): string {
  return `[${(log ?? []).map((v) => (v === null ? "no-op" : `'${v}'`)).join(", ")}]`;
}

/** The reply event for a client request, if it came. */
export function replyTo(trace: readonly TraceEvent[], requestId: number): TraceEvent | undefined {
  return trace.find((e) => e.kind === "client-reply" && e.requestId === requestId);
}

/** The same helper as lesson 3's: one place widens a run's message type for the Scenario API. */
export { asRun } from "../03-paxos-failures/cluster.js";
