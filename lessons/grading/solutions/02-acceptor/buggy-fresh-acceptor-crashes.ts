// Corpus, exercise 2: a buggy solution that reads the promise's round without checking that there is a promise.

import type { Accept, AcceptedMsg, AcceptorState, AcceptorStep, Ballot, Nack, Prepare, PromiseMsg } from "@course/paxos";
import type { Expectation } from "../../corpus.js";

export const expectation: Expectation = { correct: false, why: "compares against state.promised.round without a guard: a fresh acceptor (empty state) throws a TypeError on its first message" };

export function onPrepare(state: AcceptorState, msg: Prepare): AcceptorStep<PromiseMsg | Nack> {
  const p = state.promised as Ballot;
  if (msg.n.round < p.round || (msg.n.round === p.round && msg.n.node < p.node)) return { state, reply: { type: "nack", phase: "prepare", n: msg.n, promised: p } };
  const reply: PromiseMsg = state.accepted === undefined ? { type: "promise", n: msg.n } : { type: "promise", n: msg.n, accepted: state.accepted };
  return { state: { ...state, promised: msg.n }, reply };
}

export function onAccept(state: AcceptorState, msg: Accept): AcceptorStep<AcceptedMsg | Nack> {
  const p = state.promised as Ballot;
  if (msg.n.round < p.round || (msg.n.round === p.round && msg.n.node < p.node)) return { state, reply: { type: "nack", phase: "accept", n: msg.n, promised: p } };
  return { state: { promised: msg.n, accepted: { n: msg.n, v: msg.v } }, reply: { type: "accepted", n: msg.n, v: msg.v } };
}
