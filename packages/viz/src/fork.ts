// Forking a run: a fresh simulation from the same spec replays the recorded actions up to a step, then takes the reader's action.

import { Simulation, type FaultAction, type Message, type NodeFactory, type NodeId, type RecordedAction, type TraceEvent } from "@course/sim";
import { READER_CONTROL_CLIENT } from "./outcome.js";
import { nodeName } from "./palette.js";

/** What a reader can do to a run: a fault, a client request, a timer fired early, a message dropped or copied. */
export type ReaderAction =
  | Extract<FaultAction, { type: "crash" | "restart" | "pause" | "resume" | "cut" | "heal" | "isolate" }>
  | { readonly type: "request"; readonly node: NodeId; readonly op: string }
  | { readonly type: "timeout"; readonly node: NodeId; readonly timer: string }
  | { readonly type: "drop"; readonly msgId: number }
  | { readonly type: "duplicate"; readonly msgId: number };

/** A reader's action and the step after which it takes effect. */
export interface ReaderFault {
  readonly afterStep: number;
  readonly action: ReaderAction;
}

/** A forked run, and what the fork did that a reader should be told. */
export interface Forked {
  readonly sim: Simulation<Message>;
  /** The step after which the new run differs from the old one. */
  readonly forkStep: number;
  /** Trace position of the first event the old and the new run may not share. */
  readonly start: number;
  /** The actions as they were recorded (drops and copies move to the step where the network handles the message). */
  readonly faults: readonly ReaderFault[];
  /** Trace positions of the events the action made, with a line for the narration (they replace the raw cut/heal/link lines). */
  readonly made: ReadonlyMap<number, string>;
  /** Something the action could not do exactly as asked, said plainly. */
  readonly caveat?: string;
}

const CONTROLLED = Symbol.for("course.viz.readerControls");

/**
 * The simulator has no action that fires a timer early. Until it has one, a reader's "time out now" travels as a
 * client request from READER_CONTROL_CLIENT, which this thin wrapper turns into the node's own onTimer(name):
 * exactly what the node would do if its timer fired. The trace shows it as a request from "you (controls)".
 */
export function withReaderControls<M extends Message>(create: NodeFactory<M>): NodeFactory<M> {
  if ((create as unknown as Record<symbol, boolean>)[CONTROLLED]) return create;
  const wrapped: NodeFactory<M> = (ctx) => {
    const node = create(ctx);
    const own = node.onClientRequest?.bind(node);
    // Patched in place (not wrapped) so checkers that read the node object still see the real one.
    node.onClientRequest = (request, c) => {
      const op = request.op as { type?: unknown; timer?: unknown } | null;
      if (request.client === READER_CONTROL_CLIENT && op?.type === "fire-timer" && typeof op.timer === "string") return node.onTimer(op.timer, c);
      if (!own) throw new Error(`${nodeName(ctx.id)} does not take client requests`);
      own(request, c);
    };
    return node;
  };
  (wrapped as unknown as Record<symbol, boolean>)[CONTROLLED] = true;
  return wrapped;
}

/**
 * A fresh simulation at `step`: the same spec (faults and requests scheduled in it included, and its invariant
 * hooks, which start afresh because the new run begins at step 0) plus the recorded actions up to that step.
 * Every replay of a run goes through here, so a faster way to reach a step (restoring a saved simulator state
 * instead of replaying from the start) changes this one function.
 *
 * Exactness: an action recorded after step s at time t is replayed after step s; when t is later than the
 * clock, the original clock got there by running every event up to t, so `runUntilTime(t)` runs nothing new.
 */
export function replayTo<M extends Message>(source: Simulation<M>, step: number): Simulation<M> {
  const fresh = new Simulation<M>({ ...source.spec, createNode: withReaderControls(source.spec.createNode) });
  for (const rec of source.actions as readonly RecordedAction[]) {
    if (rec.afterStep > step) break;
    while (fresh.stepCount < rec.afterStep && fresh.step()) {
      // step() does the work
    }
    if (rec.at > fresh.now) fresh.runUntilTime(rec.at);
    fresh.apply(rec.action);
  }
  while (fresh.stepCount < step && fresh.step()) {
    // step() does the work
  }
  return fresh;
}

function endTime(sim: Simulation<Message>): number {
  const t = sim.trace;
  return t.length ? (t[t.length - 1] as TraceEvent).time : sim.now;
}

/** Run the source on until message `msgId` is sent and resolved (or give up), so its send and delivery steps are known. */
function resolveMessage(sim: Simulation<Message>, msgId: number): { send?: TraceEvent; end?: TraceEvent } {
  const find = () => {
    let send: TraceEvent | undefined;
    let end: TraceEvent | undefined;
    for (const e of sim.trace) {
      if ((e.kind === "send" && e.msgId === msgId) || (e.kind === "duplicate" && e.copyId === msgId)) send = e;
      else if ((e.kind === "deliver" || e.kind === "drop") && e.msgId === msgId) end = e;
    }
    return { send, end };
  };
  let found = find();
  for (let i = 0; found.send !== undefined && found.end === undefined && i < 10_000 && sim.step(); i++) {
    const last = sim.trace[sim.trace.length - 1];
    if (last && (last.kind === "deliver" || last.kind === "drop") && last.msgId === msgId) found = { ...found, end: last };
  }
  return found;
}

const faultWords = (a: ReaderAction | FaultAction): string => {
  switch (a.type) {
    case "crash":
    case "restart":
    case "pause":
    case "resume":
      return `${a.type === "crash" ? "crashed" : a.type === "restart" ? "restarted" : a.type === "pause" ? "paused" : "resumed"} ${nodeName(a.node)}`;
    case "isolate":
      return `isolated ${nodeName(a.node)}`;
    case "cut":
      return `cut the link ${nodeName(a.from)}→${nodeName(a.to)}`;
    case "heal":
      return a.from === undefined ? "healed every link" : `healed the link ${nodeName(a.from)}→${nodeName(a.to as NodeId)}`;
    case "request":
      return `sent ${nodeName(a.node)} the client request ${a.op}`;
    case "timeout":
      return `fired ${nodeName(a.node)}'s ${a.timer} timer`;
    case "drop":
      return `dropped message #${a.msgId}`;
    case "duplicate":
      return `duplicated message #${a.msgId}`;
    case "partition":
      return `split the network into ${a.groups.map((g) => `{${g.map(nodeName).join(" ")}}`).join(" and ")}`;
    case "link":
      return "changed how links behave";
  }
};

/** "You crashed S2" and the like: what a reader's actions did, for the narration and the fork notice. */
export function describeReaderActions(actions: readonly ReaderAction[]): string {
  const [a, b] = actions;
  // A click on a link cuts or heals both directions: say it once.
  if (actions.length === 2 && a && b && (a.type === "cut" || a.type === "heal") && b.type === a.type && a.from !== undefined && a.from === b.to && a.to === b.from) {
    return `You ${a.type === "cut" ? "cut" : "healed"} the link ${nodeName(a.from)}–${nodeName(a.to as NodeId)} both ways`;
  }
  return `You ${actions.map(faultWords).join(" and ")}`;
}

/**
 * Apply reader actions (all after the same step) to a run and return the forked run. Faults, requests and timers
 * take effect after their step; a drop is made when the network would deliver the message, a copy when it sends it
 * (a drop or a copy comes alone).
 */
export function forkWith(source: Simulation<Message>, faults: readonly ReaderFault[], extendMs: number): Forked {
  const oldEnd = endTime(source);
  const made = new Map<number, string>();
  const fault = faults[0];
  if (fault === undefined || faults.some((f) => f.afterStep !== fault.afterStep)) throw new Error("forkWith needs actions that all follow the same step");
  const a = fault.action;
  const runOn = (sim: Simulation<Message>) => sim.runUntilTime(Math.max(oldEnd, sim.now + extendMs));
  const mark = (sim: Simulation<Message>, from: number, text: string) => {
    for (let i = from; i < sim.trace.length; i++) made.set(i, i === from ? text : "");
  };
  if (a.type === "drop" || a.type === "duplicate") {
    if (faults.length > 1) throw new Error("a message is dropped or duplicated on its own");
    const { send, end } = resolveMessage(source, a.msgId);
    if (send === undefined || (send.kind !== "send" && send.kind !== "duplicate")) throw new Error(`message #${a.msgId} is not in this run`);
    const from = send.from;
    const to = send.to;
    const label = send.kind === "send" ? `${send.msg.type} ${nodeName(from)}→${nodeName(to)}` : `the copy of message #${send.msgId} ${nodeName(from)}→${nodeName(to)}`;
    if (a.type === "drop") {
      if (end === undefined) throw new Error(`message #${a.msgId} never reaches ${nodeName(to)} in this run`);
      // Cut the link for exactly the one step in which the network hands this message over, then heal it.
      const at = end.step - 1;
      const sim = replayTo(source, at);
      const start = sim.trace.length;
      const wasCut = sim.blockedLinks().some(([x, y]) => x === from && y === to);
      if (!wasCut) sim.apply({ type: "cut", from, to });
      sim.step();
      if (!wasCut) sim.apply({ type: "heal", from, to });
      mark(sim, start, `You dropped ${label}`);
      const lost = sim.trace.slice(start).filter((e) => e.kind === "drop");
      const others = lost.filter((e) => e.kind === "drop" && e.msgId !== a.msgId).length;
      const caveat = !lost.some((e) => e.kind === "drop" && e.msgId === a.msgId)
        ? `${label} could not be dropped: in this run the network did not hand it over at that moment.`
        : others > 0
          ? `${others} other message${others === 1 ? "" : "s"} on the same link, due at the same instant, ${others === 1 ? "was" : "were"} lost with it.`
          : undefined;
      runOn(sim);
      return { sim, forkStep: at, start, faults: [{ afterStep: at, action: a }], made, ...(caveat ? { caveat } : {}) };
    }
    // The network makes copies when it sends: raise the link's duplicate chance to 1 for the sending step only.
    const at = send.step - 1;
    const sim = replayTo(source, at);
    const start = sim.trace.length;
    const before = sim.link(from, to).duplicate;
    sim.apply({ type: "link", from, to, config: { duplicate: 1 } });
    sim.step();
    sim.apply({ type: "link", from, to, config: { duplicate: before } });
    mark(sim, start, `You duplicated ${label}: the network delivers it twice`);
    const copies = sim.trace.slice(start).filter((e) => e.kind === "duplicate").length;
    const caveat =
      "The copy is made where the network makes copies, when the message is sent; the network drew one more random delay for it, so the delays of later messages differ from the old run." +
      (copies > 1 ? ` ${copies - 1} other message${copies === 2 ? "" : "s"} sent on the same link in that step ${copies === 2 ? "was" : "were"} copied too.` : "");
    runOn(sim);
    return { sim, forkStep: at, start, faults: [{ afterStep: at, action: a }], made, caveat };
  }
  const sim = replayTo(source, fault.afterStep);
  const start = sim.trace.length;
  for (const { action } of faults) {
    if (action.type === "drop" || action.type === "duplicate") throw new Error("a message is dropped or duplicated on its own");
    if (action.type === "request") sim.apply({ type: "request", node: action.node, op: action.op, client: "you" });
    else if (action.type === "timeout") sim.apply({ type: "request", node: action.node, op: { type: "fire-timer", timer: action.timer }, client: READER_CONTROL_CLIENT });
    else sim.apply(action);
  }
  mark(sim, start, describeReaderActions(faults.map((f) => f.action)));
  runOn(sim);
  return { sim, forkStep: fault.afterStep, start, faults, made };
}

/** What a fork left out of the old run, in words: the scenario's later script and the reader's own later changes. */
export function droppedByFork(script: readonly RecordedAction[], scriptFrom: number, undone: readonly ReaderFault[]): string[] {
  const later = script.filter((r) => r.afterStep > scriptFrom);
  const out: string[] = [];
  const notes = later.filter((r) => r.action.type === "note");
  const labels = notes.map((r) => (r.action.type === "note" ? r.action.label : undefined)).filter((l): l is string => l !== undefined);
  const requests = later.filter((r) => r.action.type === "request").length;
  const faults = later.flatMap((r) => (r.action.type === "note" || r.action.type === "request" ? [] : [faultWords(r.action)]));
  if (requests) out.push(`${requests} client request${requests === 1 ? "" : "s"}`);
  if (faults.length) out.push(`${faults.length === 1 ? "one fault" : `${faults.length} faults`} (${faults.slice(0, 3).join(", ")}${faults.length > 3 ? ", …" : ""})`);
  if (notes.length) out.push(`${notes.length} narration line${notes.length === 1 ? "" : "s"}${labels.length ? ` (the labelled points ${labels.slice(0, 4).join(", ")}${labels.length > 4 ? ", …" : ""})` : ""}`);
  const lines: string[] = [];
  if (out.length) lines.push(`The scenario's script stops at step ${scriptFrom}: its later ${out.join(", ")} no longer happen.`);
  if (undone.length) lines.push(`Your earlier change${undone.length === 1 ? "" : "s"} after that point ${undone.length === 1 ? "is" : "are"} undone: ${undone.map((f) => faultWords(f.action)).join(", ")}.`);
  return lines;
}
