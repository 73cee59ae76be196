// Corpus, exercise 2: a buggy solution whose accept records the proposal but leaves the promise where it was.

import { compareBallots, type Accept, type AcceptedMsg, type AcceptorState, type AcceptorStep, type Nack, type Prepare, type PromiseMsg } from "@course/paxos";
import type { Expectation } from "../../corpus.js";

export const expectation: Expectation = { correct: false, why: "accepting (n, v) does not raise the promise to n, so a later prepare between the old promise and n is promised and a lower proposal can replace the accepted one" };

export function onPrepare(state: AcceptorState, msg: Prepare): AcceptorStep<PromiseMsg | Nack> {
  if (state.promised !== undefined && compareBallots(msg.n, state.promised) < 0) {
    return { state, reply: { type: "nack", phase: "prepare", n: msg.n, promised: state.promised } };
  }
  const reply: PromiseMsg = state.accepted === undefined ? { type: "promise", n: msg.n } : { type: "promise", n: msg.n, accepted: state.accepted };
  return { state: { ...state, promised: msg.n }, reply };
}

export function onAccept(state: AcceptorState, msg: Accept): AcceptorStep<AcceptedMsg | Nack> {
  if (state.promised !== undefined && compareBallots(msg.n, state.promised) < 0) return { state, reply: { type: "nack", phase: "accept", n: msg.n, promised: state.promised } };
  return { state: { ...state, accepted: { n: msg.n, v: msg.v } }, reply: { type: "accepted", n: msg.n, v: msg.v } };
}
