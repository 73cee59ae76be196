// Exercise 2: the acceptor's two rules of Basic Paxos. Write both functions, then run `npm run grade 2`.

import { compareBallots, type Accept, type AcceptedMsg, type AcceptorState, type AcceptorStep, type Nack, type Prepare, type PromiseMsg } from "@course/paxos";

// compareBallots(a, b) is negative, zero or positive as a is below, equal to or above b (an absent ballot is lowest).

/**
 * Phase 1b, Paxos Made Simple §2.2: an acceptor receiving prepare(n)
 * - refuses it exactly when it has already promised a number above n, with a nack naming that promise
 *   (`{ type: "nack", phase: "prepare", n, promised }`, state unchanged);
 * - otherwise promises n (a repeated prepare with the promised number gets the same promise again) and
 *   answers `{ type: "promise", n, accepted }`, where `accepted` is the highest-numbered proposal it has
 *   accepted so far (leave it out when it has accepted nothing).
 * Return the new state and the reply; do not modify `state` itself (the node persists what you return).
 */
export function onPrepare(state: AcceptorState, msg: Prepare): AcceptorStep<PromiseMsg | Nack> {
  throw new Error("TODO: onPrepare (Paxos Made Simple §2.2, phase 1b)");
}

/**
 * Phase 2b, Paxos Made Simple §2.2: an acceptor receiving accept(n, v) accepts it exactly when it has not
 * promised a number above n. Accepting records `{ n, v }` as its accepted proposal, raises its promise to n, and
 * answers `{ type: "accepted", n, v }` (the proposal it has just accepted). Otherwise it answers
 * `{ type: "nack", phase: "accept", n, promised }` and keeps its state.
 */
export function onAccept(state: AcceptorState, msg: Accept): AcceptorStep<AcceptedMsg | Nack> {
  throw new Error("TODO: onAccept (Paxos Made Simple §2.2, phase 2b)");
}
