// Measurements taken from a recorded trace: messages sent by type, and message delays along causal chains.

import type { TraceEvent } from "./types.js";

/**
 * For every message, how many message delays lie between it and the event that started its causal chain (a
 * client request, a timer or a restart). A message sent while handling a delivered message is one delay
 * further than that message; self-messages count like any other hop, since the protocol waits on them too.
 */
export function messageDepths(trace: readonly TraceEvent[]): Map<number, number> {
  const depth = new Map<number, number>();
  let cause = 0;
  for (const e of trace) {
    if (e.kind === "deliver") cause = depth.get(e.msgId) ?? 0;
    else if (e.kind === "client-request" || e.kind === "timer" || e.kind === "restart") cause = 0;
    else if (e.kind === "send") depth.set(e.msgId, cause + 1);
    else if (e.kind === "duplicate") depth.set(e.copyId, depth.get(e.msgId) ?? 1);
  }
  return depth;
}

/**
 * The number of message delays behind the first event (at or after `fromSeq`) that matches `isTarget`: the
 * depth of the message whose delivery caused it, or 0 if a request or timer caused it. Undefined if no event
 * matches.
 */
export function messageDelaysUntil(trace: readonly TraceEvent[], isTarget: (e: TraceEvent) => boolean, fromSeq = 0): number | undefined {
  const depth = messageDepths(trace);
  let cause = 0;
  for (const e of trace) {
    if (e.kind === "deliver") cause = depth.get(e.msgId) ?? 0;
    else if (e.kind === "client-request" || e.kind === "timer" || e.kind === "restart") cause = 0;
    if (e.seq >= fromSeq && isTarget(e)) return cause;
  }
  return undefined;
}

/** Messages sent between two points of the trace (by seq, `to` excluded), in total and by message type. */
export function countSends(trace: readonly TraceEvent[], from = 0, to = Number.POSITIVE_INFINITY): { total: number; byType: Record<string, number> } {
  const byType: Record<string, number> = {};
  let total = 0;
  for (const e of trace) {
    if (e.seq < from || e.seq >= to || e.kind !== "send") continue;
    total++;
    byType[e.msg.type] = (byType[e.msg.type] ?? 0) + 1;
  }
  return { total, byType };
}

/** "5 prepare, 5 promise, 5 accept, 25 accepted" in the order the types first appear. */
export function formatCounts(byType: Readonly<Record<string, number>>): string {
  return Object.entries(byType)
    .map(([type, n]) => `${n} ${type}`)
    .join(", ");
}

/** The seq the trace will give its next event: mark a point before running a phase. */
export function traceMark(trace: readonly TraceEvent[]): number {
  return trace.length;
}
