// The acceptor's two rules (Paxos Made Simple §2.2, phases 1b and 2b) as pure functions of state and message.

import { compareBallots, type Ballot } from "../ballot.js";
import type { Accept, Accepted, AcceptedMsg, Nack, Prepare, PromiseMsg } from "./messages.js";

/** Everything an acceptor must remember across crashes. */
export interface AcceptorState {
  /** The highest proposal number it has promised not to go below. */
  readonly promised?: Ballot;
  /** The highest-numbered proposal it has accepted. */
  readonly accepted?: Accepted;
}

export interface AcceptorStep<R> {
  readonly state: AcceptorState;
  readonly reply: R;
}

/**
 * Phase 1b: promise never to accept a proposal numbered below n, and report the last accepted proposal, unless
 * a higher number was already promised. A repeated prepare with the promised number gets the same promise
 * again, which makes duplicated messages harmless.
 */
export function onPrepare(state: AcceptorState, msg: Prepare): AcceptorStep<PromiseMsg | Nack> {
  if (state.promised !== undefined && compareBallots(msg.n, state.promised) < 0) {
    return { state, reply: { type: "nack", phase: "prepare", n: msg.n, promised: state.promised } };
  }
  const next: AcceptorState = { ...state, promised: msg.n };
  const reply: PromiseMsg = state.accepted === undefined ? { type: "promise", n: msg.n } : { type: "promise", n: msg.n, accepted: state.accepted };
  return { state: next, reply };
}

/** Phase 2b: accept (n, v) unless a prepare numbered above n has been promised; accepting n also promises n. */
export function onAccept(state: AcceptorState, msg: Accept): AcceptorStep<AcceptedMsg | Nack> {
  if (state.promised !== undefined && compareBallots(msg.n, state.promised) < 0) {
    return { state, reply: { type: "nack", phase: "accept", n: msg.n, promised: state.promised } };
  }
  return { state: { promised: msg.n, accepted: { n: msg.n, v: msg.v } }, reply: { type: "accepted", n: msg.n, v: msg.v } };
}

/**
 * What goes to durable storage before any reply leaves. Paxos Made Simple §2.3 (end): an acceptor must
 * remember its promise and its accepted proposal even if it fails and restarts.
 */
export function durableAcceptorState(state: AcceptorState): AcceptorState {
  return state;
}
