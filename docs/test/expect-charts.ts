// What the charts should show at a step, computed in Node from the same scenario run, independently of the chart code.

import type { NodeId, TraceEvent } from "@course/sim";
import { snapshotAt, views } from "@course/viz";

/** Messages the space-time diagram draws as arrows (delivered or still in flight) inside its time window. */
export function expectedArrows(trace: readonly TraceEvent[], step: number, t0: number, t1: number): number {
  const arrows = new Map<number, { sentAt: number; endAt: number; dropped: boolean }>();
  for (const e of trace) {
    if (e.step > step) break;
    if (e.kind === "send" && e.from !== e.to) arrows.set(e.msgId, { sentAt: e.time, endAt: e.deliverAt, dropped: false });
    else if (e.kind === "duplicate") {
      const a = arrows.get(e.msgId);
      if (a) arrows.set(e.copyId, { sentAt: a.sentAt, endAt: e.deliverAt, dropped: false });
    } else if (e.kind === "deliver") {
      const a = arrows.get(e.msgId);
      if (a) a.endAt = e.time;
    } else if (e.kind === "drop") {
      const a = arrows.get(e.msgId);
      if (a) a.dropped = true;
    }
  }
  let n = 0;
  for (const a of arrows.values()) if (!a.dropped && a.sentAt <= t1 && Math.max(a.endAt, a.sentAt) >= t0) n++;
  return n;
}

export function expectedCrashed(trace: readonly TraceEvent[], step: number, nodes: readonly NodeId[]): number {
  return [...snapshotAt(trace, step, nodes).nodes.values()].filter((n) => n.status === "crashed").length;
}

/** Log cells of live nodes whose index lies in the grid's visible range. */
export function expectedLogCells(trace: readonly TraceEvent[], step: number, nodes: readonly NodeId[], first: number, last: number): number {
  let n = 0;
  for (const node of snapshotAt(trace, step, nodes).nodes.values()) {
    if (node.status === "crashed") continue;
    for (const c of views.logCells(node.view) ?? []) if (c.index >= first && c.index <= last) n++;
  }
  return n;
}

export function hasLogs(trace: readonly TraceEvent[]): boolean {
  return trace.some((e) => e.kind === "state" && views.logCells(e.view) !== undefined);
}

export function expectedAcceptorRows(trace: readonly TraceEvent[], step: number): number {
  const ids = new Set<NodeId>();
  for (const e of trace) {
    if (e.step > step) break;
    if (e.kind === "state" && views.paxosAcceptor(e.view) !== undefined) ids.add(e.node);
  }
  return ids.size;
}
