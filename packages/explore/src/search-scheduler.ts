// The explorer's scheduler: it runs exactly the step the search chose; between searches it can run a timed, fault-free continuation.

import { Rng, sampleLatency, type Choice, type PendingView, type Scheduler, type Transmission, type TransmitOutcome } from "@course/sim";

/**
 * In search mode every step is the one `plan` was given; messages get no latency of their own (the search decides
 * when they arrive), so each sent message is due one virtual millisecond later. In timed mode (a liveness
 * continuation) events run in time order on a reliable network, with latencies drawn from the seed, like the
 * random scheduler without losses.
 */
export class SearchScheduler implements Scheduler {
  private planned: Choice | undefined;
  private timed = false;
  private rng = new Rng(1);
  /** The step each message was sent in (messages are frozen, and each is sent in exactly one step). */
  private readonly sentIn = new WeakMap<object, number>();
  /** The number of the step being taken, set by the search before it takes one. */
  step = 0;

  /** The step `msg` was sent in (0 for messages the search did not see sent). */
  sentStep(msg: object): number {
    return this.sentIn.get(msg) ?? 0;
  }

  /** The next step to run. */
  plan(choice: Choice): void {
    this.planned = choice;
  }

  /** Switch to timed mode with this seed (a fault-free continuation), or back to search mode. */
  setTimed(seed: number | undefined): void {
    this.timed = seed !== undefined;
    if (seed !== undefined) this.rng = new Rng(seed).fork("continuation");
  }

  reset(): void {
    this.planned = undefined;
    this.timed = false;
  }

  next(pending: PendingView): Choice | undefined {
    const planned = this.planned;
    if (planned !== undefined) {
      this.planned = undefined;
      return planned;
    }
    if (!this.timed) return undefined;
    const e = pending.earliest();
    return e === undefined ? undefined : { kind: "run", event: e.id };
  }

  transmit(t: Transmission): TransmitOutcome {
    if (!this.timed && !this.sentIn.has(t.msg)) this.sentIn.set(t.msg, this.step);
    const latency = !this.timed ? 1 : t.from === t.to ? 0 : sampleLatency(t.link.latency, this.rng);
    return t.blocked ? { deliverAt: t.now + latency, lost: "partition" } : { deliverAt: t.now + latency };
  }

  save(): unknown {
    return this.timed ? this.rng.save() : undefined;
  }

  restore(state: unknown): void {
    this.planned = undefined;
    this.timed = state !== undefined;
    if (state !== undefined) this.rng.restore(state as ReturnType<Rng["save"]>);
  }
}
