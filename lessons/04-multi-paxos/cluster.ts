// The five-replica Multi-Paxos cluster the lesson's scenarios run on, with the safety checker attached.

import { Simulation, type LinkConfig, type ScheduledFault, type TraceEvent } from "@course/sim";
import { createMultiPaxosNode, formatCommand, type Command, type MultiPaxosInspection, type MultiPaxosMessage, type MultiPaxosNode, type MultiPaxosNodeOptions, type MultiPaxosRequest } from "@course/paxos";
import { checkExactlyOnceMultiPaxos, multiPaxosChecker } from "@course/check";

export const FIVE = [0, 1, 2, 3, 4] as const;

export interface MultiClusterOptions {
  readonly node?: MultiPaxosNodeOptions;
  /** Options for one replica only (its election timeout, say), on top of `node`. */
  readonly nodeOptions?: (id: number) => MultiPaxosNodeOptions;
  readonly faults?: ScheduledFault[];
  readonly network?: Partial<LinkConfig>;
}

export function multiCluster(seed: number, options: MultiClusterOptions = {}): Simulation<MultiPaxosMessage> {
  return new Simulation<MultiPaxosMessage>({
    seed,
    nodes: FIVE,
    createNode: (ctx) => createMultiPaxosNode({ ...options.node, ...options.nodeOptions?.(ctx.id) })(ctx),
    faults: options.faults ?? [],
    ...(options.network === undefined ? {} : { network: options.network }),
    hooks: [multiPaxosChecker(), checkExactlyOnceMultiPaxos()],
    record: true,
  });
}

/** A client of the cluster: it numbers its commands 1, 2, 3..., so the replicas can tell a copy from a new command. */
export interface SessionClient {
  readonly name: string;
  /** Send the client's next command to `node`; returns the request id. */
  send(node: number, op: string): number;
}

export function sessionClient(sim: Simulation<MultiPaxosMessage>, name: string): SessionClient {
  let seq = 0;
  return {
    name,
    send(node, op) {
      const request: MultiPaxosRequest = { op, seq: ++seq };
      return sim.request(node, request, name);
    },
  };
}

export function inspect(sim: Simulation<MultiPaxosMessage>, id: number): MultiPaxosInspection | undefined {
  return sim.node<MultiPaxosNode>(id)?.inspect();
}

export function leaderOf(sim: Simulation<MultiPaxosMessage>): number | undefined {
  return FIVE.find((id) => inspect(sim, id)?.role === "leader");
}

/** "['x=1', no-op]" */
export function showLog(log: readonly Command[] | undefined): string {
  return `[${(log ?? []).map(formatCommand).join(", ")}]`;
}

/** The reply event for a client request, if it came. */
export function replyTo(trace: readonly TraceEvent[], requestId: number): TraceEvent | undefined {
  return trace.find((e) => e.kind === "client-reply" && e.requestId === requestId);
}

/** The same helper as lesson 3's: one place widens a run's message type for the Scenario API. */
export { asRun } from "../03-paxos-failures/cluster.js";
