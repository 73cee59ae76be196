// Measurements read off a recorded trace: who sends and receives how much, and which messages a command caused.

import type { Message, NodeId, TraceEvent } from "@course/sim";

/** Network messages (a node's messages to itself left out) sent from trace position `fromSeq` on. */
export function networkSends(trace: readonly TraceEvent[], fromSeq = 0, toSeq = Infinity): Extract<TraceEvent, { kind: "send" }>[] {
  return trace.filter((e): e is Extract<TraceEvent, { kind: "send" }> => e.kind === "send" && e.seq >= fromSeq && e.seq < toSeq && e.from !== e.to);
}

export interface Involvement {
  /** For each node: network messages it sent plus those sent to it. */
  readonly perNode: ReadonlyMap<NodeId, number>;
  readonly total: number;
  /** The share of all network messages that the given node sent or was sent, 0 to 1. */
  readonly share: number;
}

/** How much of the traffic passes through `hub`: every message has two ends, and a hub is at one of them. */
export function involvement(trace: readonly TraceEvent[], nodes: readonly NodeId[], hub: NodeId, fromSeq = 0, toSeq = Infinity): Involvement {
  const perNode = new Map<NodeId, number>(nodes.map((n) => [n, 0]));
  const sends = networkSends(trace, fromSeq, toSeq);
  for (const e of sends) {
    perNode.set(e.from, (perNode.get(e.from) ?? 0) + 1);
    perNode.set(e.to, (perNode.get(e.to) ?? 0) + 1);
  }
  const touching = sends.filter((e) => e.from === hub || e.to === hub).length;
  return { perNode, total: sends.length, share: sends.length === 0 ? 0 : touching / sends.length };
}

/**
 * The messages one command caused: those that carry it (`carries`), and those sent while a node handled the
 * delivery of one that carries it (the acknowledgments). Heartbeats and unrelated traffic stay out.
 */
export function commandMessages(trace: readonly TraceEvent[], fromSeq: number, carries: (msg: Message) => boolean): { total: number; network: number; byType: Record<string, number> } {
  const carrierIds = new Set<number>();
  let handlingCarrier = false;
  let total = 0;
  let network = 0;
  const byType: Record<string, number> = {};
  for (const e of trace) {
    if (e.kind === "deliver") handlingCarrier = carrierIds.has(e.msgId);
    else if (e.kind === "client-request" || e.kind === "timer" || e.kind === "restart") handlingCarrier = false;
    if (e.seq < fromSeq || e.kind !== "send") continue;
    const carrier = carries(e.msg);
    if (carrier) carrierIds.add(e.msgId);
    if (!carrier && !handlingCarrier) continue;
    total++;
    if (e.from !== e.to) network++;
    byType[e.msg.type] = (byType[e.msg.type] ?? 0) + 1;
  }
  return { total, network, byType };
}

/** "node 0: 40, node 1: 10, ..." */
export function formatPerNode(perNode: ReadonlyMap<NodeId, number>): string {
  return [...perNode.entries()].map(([n, c]) => `node ${n}: ${c}`).join(", ");
}

export function percent(share: number): string {
  return `${Math.round(share * 100)}%`;
}

/** "2" when all values agree, "2-3" otherwise; "?" for none. */
export function range(values: readonly number[]): string {
  if (values.length === 0) return "?";
  const lo = Math.min(...values);
  const hi = Math.max(...values);
  return lo === hi ? `${lo}` : `${lo}-${hi}`;
}

export function mean(values: readonly number[]): number {
  return values.length === 0 ? 0 : values.reduce((a, b) => a + b, 0) / values.length;
}

/** One decimal place, without a trailing ".0". */
export function num(x: number): string {
  return Number.isInteger(x) ? `${x}` : x.toFixed(1);
}
