// Corpus, exercise 2: a buggy solution that compares only the rounds of two ballots.

import { compareBallots, type Accept, type AcceptedMsg, type AcceptorState, type AcceptorStep, type Nack, type Prepare, type PromiseMsg } from "@course/paxos";
import type { Expectation } from "../../corpus.js";

export const expectation: Expectation = { correct: false, why: "compares rounds only: a prepare or accept with the same round from a lower node id passes, lowering the promise and letting two proposers share a round" };

export function onPrepare(state: AcceptorState, msg: Prepare): AcceptorStep<PromiseMsg | Nack> {
  if (state.promised !== undefined && msg.n.round < state.promised.round) return { state, reply: { type: "nack", phase: "prepare", n: msg.n, promised: state.promised } };
  const reply: PromiseMsg = state.accepted === undefined ? { type: "promise", n: msg.n } : { type: "promise", n: msg.n, accepted: state.accepted };
  return { state: { ...state, promised: msg.n }, reply };
}

export function onAccept(state: AcceptorState, msg: Accept): AcceptorStep<AcceptedMsg | Nack> {
  if (state.promised !== undefined && msg.n.round < state.promised.round) return { state, reply: { type: "nack", phase: "accept", n: msg.n, promised: state.promised } };
  return { state: { promised: msg.n, accepted: { n: msg.n, v: msg.v } }, reply: { type: "accepted", n: msg.n, v: msg.v } };
}
