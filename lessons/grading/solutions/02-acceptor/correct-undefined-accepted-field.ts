// Corpus, exercise 2: a correct solution whose promise always has an `accepted` field, undefined when nothing was accepted.

import { compareBallots, type Accept, type AcceptedMsg, type AcceptorState, type AcceptorStep, type Nack, type Prepare, type PromiseMsg } from "@course/paxos";
import type { Expectation } from "../../corpus.js";

export const expectation: Expectation = { correct: true, why: "sends accepted: undefined instead of leaving the field out: on the wire (JSON) both are the same message" };

export function onPrepare(state: AcceptorState, msg: Prepare): AcceptorStep<PromiseMsg | Nack> {
  const refused = state.promised !== undefined && compareBallots(msg.n, state.promised) < 0;
  if (refused) return { state: { ...state }, reply: { type: "nack", phase: "prepare", n: msg.n, promised: state.promised! } };
  return { state: { promised: msg.n, accepted: state.accepted }, reply: { type: "promise", n: msg.n, accepted: state.accepted } };
}

export function onAccept(state: AcceptorState, msg: Accept): AcceptorStep<AcceptedMsg | Nack> {
  if (state.promised !== undefined && compareBallots(msg.n, state.promised) < 0) {
    return { state, reply: { type: "nack", phase: "accept", n: msg.n, promised: state.promised } };
  }
  return { state: { promised: msg.n, accepted: { n: msg.n, v: msg.v } }, reply: { type: "accepted", n: msg.n, v: msg.v } };
}
