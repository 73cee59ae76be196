// The transaction every lesson 1 scenario runs on the same five nodes, and what its trace says about decisions.

import type { NodeId, TraceEvent } from "@course/sim";

export const NODES = [0, 1, 2, 3, 4];
export const COORDINATOR = 0;
export const PARTICIPANTS = [1, 2, 3, 4];
export const TXN = "t1";

/** Participants that received the decision from `from` more than once, in id order. */
export function repeatedDecisions(trace: readonly TraceEvent[], from: NodeId): NodeId[] {
  const heard = new Map<NodeId, number>();
  for (const e of trace) if (e.kind === "deliver" && e.from === from && e.msg.type === "decision") heard.set(e.to, (heard.get(e.to) ?? 0) + 1);
  return [...heard].filter(([, n]) => n > 1).map(([to]) => to).sort((a, b) => a - b);
}
