// Corpus, exercise 2: a buggy solution that updates the state object it was given instead of returning a new one.

import { compareBallots, type Accept, type AcceptedMsg, type AcceptorState, type AcceptorStep, type Nack, type Prepare, type PromiseMsg } from "@course/paxos";
import type { Expectation } from "../../corpus.js";

export const expectation: Expectation = { correct: false, why: "writes the promise into the state it received; the node persists what is returned, and an input shared with the caller changes under its feet" };

export function onPrepare(state: AcceptorState, msg: Prepare): AcceptorStep<PromiseMsg | Nack> {
  if (state.promised !== undefined && compareBallots(msg.n, state.promised) < 0) return { state, reply: { type: "nack", phase: "prepare", n: msg.n, promised: state.promised } };
  (state as { promised?: typeof msg.n }).promised = msg.n;
  const reply: PromiseMsg = state.accepted === undefined ? { type: "promise", n: msg.n } : { type: "promise", n: msg.n, accepted: state.accepted };
  return { state, reply };
}

export function onAccept(state: AcceptorState, msg: Accept): AcceptorStep<AcceptedMsg | Nack> {
  if (state.promised !== undefined && compareBallots(msg.n, state.promised) < 0) {
    return { state, reply: { type: "nack", phase: "accept", n: msg.n, promised: state.promised } };
  }
  return { state: { promised: msg.n, accepted: { n: msg.n, v: msg.v } }, reply: { type: "accepted", n: msg.n, v: msg.v } };
}
