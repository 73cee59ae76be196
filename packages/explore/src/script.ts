// Scripted steps ("node 0's timer fires", "deliver 0's RequestVote to 1") turned into the scheduler's choices, to set up a search's start.

import type { Choice, Message, NodeId, PendingEvent, Simulation } from "@course/sim";
import { ExploreError } from "./errors.js";
import { searchSimulation, take, type ResolvedRun } from "./run.js";

/** One scripted step. Messages are picked by sender, receiver, type and (optionally) term, oldest first. */
export type ScriptStep =
  | { readonly timer: NodeId; readonly name?: string }
  | { readonly deliver: readonly [from: NodeId, to: NodeId, type: string, term?: number] }
  | { readonly drop: readonly [from: NodeId, to: NodeId, type: string, term?: number] }
  /** The network duplicates the message: a copy joins the messages in flight (delivered oldest first, like the original). */
  | { readonly duplicate: readonly [from: NodeId, to: NodeId, type: string, term?: number] }
  /** Lose every message in flight: the network goes quiet. */
  | { readonly dropAll: true }
  | { readonly request: readonly [node: NodeId, op: unknown] }
  | { readonly crash: NodeId }
  | { readonly restart: NodeId };

function findMessage(pending: readonly PendingEvent[], [from, to, type, term]: readonly [NodeId, NodeId, string, number?]): PendingEvent | undefined {
  return pending.find((e) => e.kind === "deliver" && e.from === from && e.to === to && e.msg.type === type && (term === undefined || (e.msg as Message & { term?: number }).term === term));
}

/** The choices a script makes, found by running it: the start of a search, or a scenario of its own. */
export function scriptChoices(run: ResolvedRun, steps: readonly ScriptStep[]): Choice[] {
  const { sim, scheduler } = searchSimulation(run, false);
  const out: Choice[] = [];
  const go = (choice: Choice, where: string) => {
    const threw = take(sim, scheduler, choice);
    if (threw !== undefined) throw new ExploreError(`script step ${where}: a node threw: ${threw}`);
    out.push(choice);
  };
  steps.forEach((step, i) => {
    const where = `#${i + 1} (${JSON.stringify(step)})`;
    const at = sim.now + 1;
    const pending = sim.pendingEvents();
    if ("timer" in step) {
      const e = pending.find((p) => p.kind === "timer" && p.node === step.timer && (step.name === undefined || p.name === step.name));
      if (e === undefined) throw new ExploreError(`script step ${where}: node ${step.timer} has no such timer armed`);
      go({ kind: "run", event: e.id, at: Math.max(at, e.time) }, where);
    } else if ("deliver" in step || "drop" in step || "duplicate" in step) {
      const spec = "deliver" in step ? step.deliver : "drop" in step ? step.drop : step.duplicate;
      const e = findMessage(pending, spec);
      if (e === undefined) throw new ExploreError(`script step ${where}: no such message in flight`);
      go({ kind: "deliver" in step ? "run" : "drop" in step ? "drop" : "duplicate", event: e.id, at }, where);
    } else if ("dropAll" in step) {
      for (const e of pending) if (e.kind === "deliver") go({ kind: "drop", event: e.id, at }, where);
    } else if ("request" in step) go({ kind: "request", node: step.request[0], op: step.request[1], at }, where);
    else if ("crash" in step) go({ kind: "fault", action: { type: "crash", node: step.crash }, at }, where);
    else go({ kind: "fault", action: { type: "restart", node: step.restart }, at }, where);
    if (sim.stopped) throw new ExploreError(`script step ${where}: a checker fired already (${sim.violation?.checker})`);
  });
  return out;
}

export type { Simulation };
