// One protocol's measured cost of a committed command, and how the lesson prints and compares it.

import type { NodeId } from "@course/sim";
import { formatPerNode, mean, num, percent, range, type Involvement } from "./measure.js";

export interface CostRow {
  readonly protocol: string;
  /** Per command: every message it caused (a node's messages to itself included), and those over the network. */
  readonly messages: readonly number[];
  readonly network: readonly number[];
  /** Per command: message delays from the client's request to its answer. */
  readonly delays: readonly number[];
  /** Per command: ms from the request until every replica has applied it. */
  readonly everywhereMs: readonly number[];
  /** The node that coordinates: the leader, or Basic Paxos's proposer. */
  readonly hub: NodeId;
  /** All network traffic while the commands ran, heartbeats included. */
  readonly traffic: Involvement;
}

export function costLine(row: CostRow): string {
  return (
    `${row.protocol}: ${range(row.messages as number[])} messages per command (${range(row.network as number[])} over the network), ` +
    `${range(row.delays as number[])} message delays to the client's answer, every replica applied it after ${num(Math.round(mean(row.everywhereMs as number[])))} ms on average; ` +
    `node ${row.hub} is at one end of ${percent(row.traffic.share)} of the ${row.traffic.total} network messages`
  );
}

export function trafficLine(row: CostRow): string {
  return `Network messages each node sent or received while the commands ran (heartbeats included, where the protocol has them): ${formatPerNode(row.traffic.perNode)}.`;
}
