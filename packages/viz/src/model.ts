// Replays a recorded trace up to a step and says what the cluster looked like then: views, faults, messages in flight.

import * as d3 from "d3";
import type { Message, NodeId, TraceEvent } from "@course/sim";

export type NodeStatus = "up" | "crashed" | "paused";

export interface TimerState {
  readonly setAt: number;
  readonly fireAt: number;
}

export interface NodeSnapshot {
  readonly id: NodeId;
  status: NodeStatus;
  view: unknown;
  readonly timers: Map<string, TimerState>;
}

export interface FlightMessage {
  readonly msgId: number;
  readonly from: NodeId;
  readonly to: NodeId;
  readonly msg: Message;
  readonly sentAt: number;
  readonly deliverAt: number;
}

export interface ClusterSnapshot {
  /** Steps replayed (events with step <= this are applied). */
  step: number;
  /** Virtual time of the last applied event. */
  time: number;
  readonly nodes: Map<NodeId, NodeSnapshot>;
  /** Directed links that are cut, as "from>to". */
  readonly blocked: Set<string>;
  readonly inFlight: Map<number, FlightMessage>;
  /** How many events were applied. */
  applied: number;
}

/** Every node id the trace mentions, in numeric order (used when the caller does not pass the node list). */
export function nodesOf(events: readonly TraceEvent[]): NodeId[] {
  const ids = new Set<NodeId>();
  for (const e of events) {
    if ("node" in e && typeof e.node === "number") ids.add(e.node);
    if ("from" in e && typeof e.from === "number") ids.add(e.from);
    if ("to" in e && typeof e.to === "number") ids.add(e.to);
    if (e.kind === "partition") for (const g of e.groups) for (const n of g) ids.add(n);
  }
  return [...ids].sort((a, b) => a - b);
}

/** The last step number in the trace. */
export function lastStep(events: readonly TraceEvent[]): number {
  return events.length === 0 ? 0 : (events[events.length - 1] as TraceEvent).step;
}

/** How many leading items have a step at or before `step` (binary search: traces and everything read from them are in step order). */
export function countThroughStep<T extends { readonly step: number }>(items: readonly T[], step: number): number {
  return bisectStep.right(items as T[], step);
}
const bisectStep = d3.bisector((d: { readonly step: number }) => d.step);

/** Index of the first event whose step is greater than `step`. */
export function eventsThrough(events: readonly TraceEvent[], step: number): number {
  return countThroughStep(events, step);
}

/** The step whose events are the last ones at or before virtual time `time`. */
export function stepAtTime(events: readonly TraceEvent[], time: number): number {
  const lo = d3.bisector((e: TraceEvent) => e.time).right(events as TraceEvent[], time);
  return lo === 0 ? 0 : (events[lo - 1] as TraceEvent).step;
}

export function emptySnapshot(nodes: readonly NodeId[]): ClusterSnapshot {
  return {
    step: -1,
    time: 0,
    nodes: new Map(nodes.map((id) => [id, { id, status: "up" as NodeStatus, view: undefined, timers: new Map() }])),
    blocked: new Set(),
    inFlight: new Map(),
    applied: 0,
  };
}

function nodeOf(s: ClusterSnapshot, id: NodeId): NodeSnapshot {
  let n = s.nodes.get(id);
  if (!n) {
    n = { id, status: "up", view: undefined, timers: new Map() };
    s.nodes.set(id, n);
  }
  return n;
}

/** Apply one event to a snapshot, mirroring what the simulator did when it recorded it. */
export function applyEvent(s: ClusterSnapshot, e: TraceEvent): void {
  s.step = e.step;
  s.time = e.time;
  s.applied++;
  switch (e.kind) {
    case "send":
      if (e.from !== e.to) s.inFlight.set(e.msgId, { msgId: e.msgId, from: e.from, to: e.to, msg: e.msg, sentAt: e.time, deliverAt: e.deliverAt });
      return;
    case "duplicate": {
      const orig = s.inFlight.get(e.msgId);
      if (orig) s.inFlight.set(e.copyId, { ...orig, msgId: e.copyId, deliverAt: e.deliverAt });
      return;
    }
    case "deliver":
    case "drop":
      s.inFlight.delete(e.msgId);
      return;
    case "state":
      nodeOf(s, e.node).view = e.view;
      return;
    case "timer-set":
      nodeOf(s, e.node).timers.set(e.name, { setAt: e.time, fireAt: e.fireAt });
      return;
    case "timer":
    case "timer-cancel":
      nodeOf(s, e.node).timers.delete(e.name);
      return;
    case "crash": {
      const n = nodeOf(s, e.node);
      n.status = "crashed";
      n.timers.clear();
      return;
    }
    case "restart": {
      const n = nodeOf(s, e.node);
      n.status = "up";
      n.timers.clear();
      n.view = undefined; // the rebuilt node records its fresh view next
      return;
    }
    case "pause":
      nodeOf(s, e.node).status = "paused";
      return;
    case "resume":
      nodeOf(s, e.node).status = "up";
      return;
    case "cut":
      s.blocked.add(`${e.from}>${e.to}`);
      return;
    case "isolate":
      for (const other of s.nodes.keys()) {
        if (other === e.node) continue;
        s.blocked.add(`${e.node}>${other}`);
        s.blocked.add(`${other}>${e.node}`);
      }
      return;
    case "partition": {
      const groupOf = new Map<NodeId, number>();
      e.groups.forEach((g, i) => g.forEach((n) => groupOf.set(n, i)));
      for (const a of s.nodes.keys()) {
        for (const b of s.nodes.keys()) {
          if (a !== b && (groupOf.get(a) ?? -1) !== (groupOf.get(b) ?? -1)) s.blocked.add(`${a}>${b}`);
        }
      }
      return;
    }
    case "heal":
      if (e.from === undefined) s.blocked.clear();
      else s.blocked.delete(`${e.from}>${e.to}`);
      return;
    default:
      return;
  }
}

/** The cluster after every event with step <= `step`. */
export function snapshotAt(events: readonly TraceEvent[], step: number, nodes: readonly NodeId[] = nodesOf(events)): ClusterSnapshot {
  const s = emptySnapshot(nodes);
  const end = eventsThrough(events, step);
  for (let i = 0; i < end; i++) applyEvent(s, events[i] as TraceEvent);
  s.step = step;
  return s;
}

function cloneSnapshot(s: ClusterSnapshot): ClusterSnapshot {
  return {
    step: s.step,
    time: s.time,
    // Views are parsed JSON that nothing mutates: sharing them is safe; timers and sets are copied.
    nodes: new Map([...s.nodes].map(([id, n]) => [id, { id, status: n.status, view: n.view, timers: new Map(n.timers) }])),
    blocked: new Set(s.blocked),
    inFlight: new Map(s.inFlight),
    applied: s.applied,
  };
}

/** Events between two kept copies of the snapshot: a seek backwards replays at most this many. */
export const CHECKPOINT_EVERY = 256;

/**
 * Keeps a snapshot and moves it forward cheaply while a player plays. Going back restores the nearest copy
 * kept every CHECKPOINT_EVERY events and replays the trace from there (the trace is the replay: a prefix of it is
 * exactly what a rewind to that step would record), so a seek costs the same anywhere in a long run.
 */
export class SnapshotCursor {
  private snap: ClusterSnapshot;
  /** checkpoints[i] is the snapshot after (i + 1) * CHECKPOINT_EVERY events. */
  private checkpoints: ClusterSnapshot[] = [];
  constructor(
    private events: readonly TraceEvent[],
    private readonly nodes: readonly NodeId[],
  ) {
    this.snap = emptySnapshot(nodes);
  }

  /** Use a new trace (after a fork); the prefix may differ, so start over. */
  reset(events: readonly TraceEvent[]): void {
    this.events = events;
    this.snap = emptySnapshot(this.nodes);
    this.checkpoints = [];
  }

  /** The cluster after every event with step <= `step`. The returned object is reused by the next call. */
  at(step: number): ClusterSnapshot {
    const end = eventsThrough(this.events, step);
    if (end < this.snap.applied) {
      const k = Math.min(this.checkpoints.length, Math.floor(end / CHECKPOINT_EVERY));
      this.snap = k === 0 ? emptySnapshot(this.nodes) : cloneSnapshot(this.checkpoints[k - 1] as ClusterSnapshot);
    }
    for (let i = this.snap.applied; i < end; i++) {
      applyEvent(this.snap, this.events[i] as TraceEvent);
      const applied = i + 1;
      if (applied % CHECKPOINT_EVERY === 0 && this.checkpoints.length === applied / CHECKPOINT_EVERY - 1) this.checkpoints.push(cloneSnapshot(this.snap));
    }
    this.snap.step = step;
    return this.snap;
  }
}

/** Periods in which a node was crashed or paused, for bands and lanes. */
export interface DownPeriod {
  readonly node: NodeId;
  readonly kind: "crashed" | "paused";
  readonly from: number;
  /** undefined while still down at the end of the trace. */
  readonly to: number | undefined;
}

export function downPeriods(events: readonly TraceEvent[]): DownPeriod[] {
  const open = new Map<string, { node: NodeId; kind: "crashed" | "paused"; from: number }>();
  const out: DownPeriod[] = [];
  const close = (key: string, t: number) => {
    const o = open.get(key);
    if (o) {
      out.push({ ...o, to: t });
      open.delete(key);
    }
  };
  for (const e of events) {
    if (e.kind === "crash") {
      close(`p${e.node}`, e.time);
      if (!open.has(`c${e.node}`)) open.set(`c${e.node}`, { node: e.node, kind: "crashed", from: e.time });
    } else if (e.kind === "restart") close(`c${e.node}`, e.time);
    else if (e.kind === "pause" && !open.has(`p${e.node}`)) open.set(`p${e.node}`, { node: e.node, kind: "paused", from: e.time });
    else if (e.kind === "resume") close(`p${e.node}`, e.time);
  }
  for (const o of open.values()) out.push({ ...o, to: undefined });
  return out;
}

/** Periods in which at least one link was cut (partitions, cuts, isolation). */
export function networkFaultPeriods(events: readonly TraceEvent[], nodes: readonly NodeId[] = nodesOf(events)): Array<{ from: number; to: number | undefined; links: number }> {
  const s = emptySnapshot(nodes);
  const out: Array<{ from: number; to: number | undefined; links: number }> = [];
  let start: number | undefined;
  let maxLinks = 0;
  for (const e of events) {
    if (e.kind !== "cut" && e.kind !== "isolate" && e.kind !== "partition" && e.kind !== "heal") continue;
    applyEvent(s, e);
    const n = s.blocked.size;
    if (n > 0 && start === undefined) {
      start = e.time;
      maxLinks = n;
    } else if (n > 0) maxLinks = Math.max(maxLinks, n);
    else if (n === 0 && start !== undefined) {
      out.push({ from: start, to: e.time, links: maxLinks });
      start = undefined;
    }
  }
  if (start !== undefined) out.push({ from: start, to: undefined, links: maxLinks });
  return out;
}

/** Labelled notes: the points of a story a reader can jump to. */
export function labelledNotes(events: readonly TraceEvent[]): Array<{ label: string; text: string; step: number; time: number; heading: boolean }> {
  const out: Array<{ label: string; text: string; step: number; time: number; heading: boolean }> = [];
  for (const e of events) {
    if (e.kind === "note" && e.label !== undefined) out.push({ label: e.label, text: e.text, step: e.step, time: e.time, heading: e.style === "heading" });
  }
  return out;
}
