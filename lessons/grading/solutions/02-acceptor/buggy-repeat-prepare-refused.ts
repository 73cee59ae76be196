// Corpus, exercise 2: a buggy solution that refuses a prepare equal to its promise.

import { compareBallots, type Accept, type AcceptedMsg, type AcceptorState, type AcceptorStep, type Nack, type Prepare, type PromiseMsg } from "@course/paxos";
import type { Expectation } from "../../corpus.js";

export const expectation: Expectation = { correct: false, why: "refuses a repeated (duplicated) prepare with the number it promised, so a proposer whose promise reply was lost or duplicated is turned away" };

export function onPrepare(state: AcceptorState, msg: Prepare): AcceptorStep<PromiseMsg | Nack> {
  if (state.promised !== undefined && compareBallots(msg.n, state.promised) <= 0) {
    return { state, reply: { type: "nack", phase: "prepare", n: msg.n, promised: state.promised } };
  }
  const reply: PromiseMsg = state.accepted === undefined ? { type: "promise", n: msg.n } : { type: "promise", n: msg.n, accepted: state.accepted };
  return { state: { ...state, promised: msg.n }, reply };
}

export function onAccept(state: AcceptorState, msg: Accept): AcceptorStep<AcceptedMsg | Nack> {
  if (state.promised !== undefined && compareBallots(msg.n, state.promised) < 0) {
    return { state, reply: { type: "nack", phase: "accept", n: msg.n, promised: state.promised } };
  }
  return { state: { promised: msg.n, accepted: { n: msg.n, v: msg.v } }, reply: { type: "accepted", n: msg.n, v: msg.v } };
}
