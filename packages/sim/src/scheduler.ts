// The scheduler: every nondeterministic choice of a run (what happens next, a message's fate) goes through it.

import { sampleLatency } from "./network.js";
import { Rng } from "./rng.js";
import type { ClientRequest, FaultAction, LinkConfig, Message, NodeId } from "./types.js";

/** One event waiting to run: a message in flight, an armed timer, a scripted fault or a scripted client request. */
export type PendingEvent =
  | { readonly id: number; readonly time: number; readonly kind: "deliver"; readonly msgId: number; readonly from: NodeId; readonly to: NodeId; readonly msg: Message }
  | { readonly id: number; readonly time: number; readonly kind: "timer"; readonly node: NodeId; readonly name: string }
  | { readonly id: number; readonly time: number; readonly kind: "fault"; readonly action: FaultAction }
  | { readonly id: number; readonly time: number; readonly kind: "request"; readonly node: NodeId; readonly request: ClientRequest };

/**
 * What the simulator does in one step. `event` is a pending event's id; `at` is the virtual time the step happens
 * at (default: the event's own time); the clock never goes back.
 * - run: take the event out and handle it (deliver the message, fire the timer, apply the fault...);
 * - drop: the network loses a message in flight;
 * - duplicate: the network delivers a message in flight twice (a copy joins the pending events);
 * - fault: crash, restart, pause... a node now, though no fault was scheduled;
 * - request: a client sends a request to a node now.
 */
export type Choice =
  | { readonly kind: "run"; readonly event: number; readonly at?: number }
  | { readonly kind: "drop"; readonly event: number; readonly at?: number }
  | { readonly kind: "duplicate"; readonly event: number; readonly at?: number }
  | { readonly kind: "fault"; readonly action: FaultAction; readonly at?: number }
  | { readonly kind: "request"; readonly node: NodeId; readonly op: unknown; readonly client?: string; readonly at?: number };

/** The pending events as a scheduler sees them. */
export interface PendingView {
  /** The event due first (by time, then by order of scheduling), or undefined when nothing is pending. */
  earliest(): PendingEvent | undefined;
  /** Every pending event, earliest first. */
  all(): PendingEvent[];
}

/** A message handed to the network, for the scheduler to decide its fate. */
export interface Transmission {
  readonly from: NodeId;
  readonly to: NodeId;
  readonly msg: Message;
  readonly link: LinkConfig;
  readonly now: number;
  /** A partition or cut blocks the link: the message is lost whatever the scheduler says. */
  readonly blocked: boolean;
}

/** When the message arrives, or that it is lost; `copyAt`: the network duplicates it and the copy arrives then. */
export interface TransmitOutcome {
  readonly deliverAt: number;
  readonly lost?: "loss" | "partition";
  readonly copyAt?: number;
}

/**
 * The source of a run's nondeterminism. The seeded random scheduler (the default) runs events in time order and
 * draws latencies, losses and duplicates from the seed; an exhaustive search plugs in one that follows its own plan.
 * Both drive the same node code. A scheduler's memory is part of a simulation checkpoint (`save`/`restore`).
 */
export interface Scheduler {
  /** A run starts, or replays from the start (a rewind): begin again from `seed`. */
  reset(seed: number): void;
  /** The next step, or undefined when the run has nothing left to do. */
  next(pending: PendingView): Choice | undefined;
  /** The fate of a message sent now. */
  transmit(t: Transmission): TransmitOutcome;
  save(): unknown;
  restore(state: unknown): void;
}

/**
 * The scheduler the lessons run: events in time order; each link's latency, loss and duplication drawn from the
 * network's share of the seed (the same draws, in the same order, as before schedulers existed, so traces are stable).
 */
export class RandomScheduler implements Scheduler {
  private rng = new Rng(0);

  reset(seed: number): void {
    this.rng = new Rng(seed).fork("network");
  }

  next(pending: PendingView): Choice | undefined {
    const e = pending.earliest();
    return e === undefined ? undefined : { kind: "run", event: e.id };
  }

  transmit(t: Transmission): TransmitOutcome {
    const self = t.from === t.to;
    const link = t.link;
    const deliverAt = t.now + (self ? 0 : sampleLatency(link.latency, this.rng));
    if (t.blocked) return { deliverAt, lost: "partition" };
    if (!self && link.drop > 0 && this.rng.chance(link.drop)) return { deliverAt, lost: "loss" };
    if (!self && link.duplicate > 0 && this.rng.chance(link.duplicate)) return { deliverAt, copyAt: t.now + sampleLatency(link.latency, this.rng) };
    return { deliverAt };
  }

  save(): unknown {
    return this.rng.save();
  }

  restore(state: unknown): void {
    this.rng.restore(state as ReturnType<Rng["save"]>);
  }
}
