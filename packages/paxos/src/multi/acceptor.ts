// The Multi-Paxos acceptor: one promise covers every slot, and each slot keeps its own accepted proposal.

import { compareBallots, type Ballot } from "../ballot.js";
import type { MAccept, MAccepted, MNack, MPrepare, MPromise, SlotAccepted } from "./messages.js";

export interface MultiAcceptorState {
  readonly promised?: Ballot;
  readonly accepted: ReadonlyMap<number, SlotAccepted>;
}

export interface MultiAcceptorStep<R> {
  readonly state: MultiAcceptorState;
  readonly reply: R;
}

/**
 * Phase 1b for all slots from `msg.from` on (Paxos Made Simple §3: a new leader runs phase 1 for infinitely many
 * instances with one message): promise unless a higher number was promised, and report every accepted proposal
 * in those slots.
 */
export function onMultiPrepare(state: MultiAcceptorState, msg: MPrepare): MultiAcceptorStep<MPromise | MNack> {
  if (state.promised !== undefined && compareBallots(msg.n, state.promised) < 0) {
    return { state, reply: { type: "nack", phase: "prepare", n: msg.n, promised: state.promised } };
  }
  const accepted = [...state.accepted].filter(([slot]) => slot >= msg.from).sort(([a], [b]) => a - b);
  return { state: { ...state, promised: msg.n }, reply: { type: "promise", n: msg.n, from: msg.from, accepted } };
}

/** Phase 2b for one slot: accept unless a higher number was promised (Paxos Made Simple §2.2). */
export function onMultiAccept(state: MultiAcceptorState, msg: MAccept): MultiAcceptorStep<MAccepted | MNack> {
  if (state.promised !== undefined && compareBallots(msg.n, state.promised) < 0) {
    return { state, reply: { type: "nack", phase: "accept", n: msg.n, promised: state.promised } };
  }
  const accepted = new Map(state.accepted).set(msg.slot, { n: msg.n, v: msg.v });
  return { state: { promised: msg.n, accepted }, reply: { type: "accepted", n: msg.n, slot: msg.slot, v: msg.v } };
}

/** The promise that goes to durable storage (Paxos Made Simple §2.3: it must survive a restart). */
export function durablePromise(promised: Ballot | undefined): Ballot | undefined {
  return promised;
}
