// Corpus, exercise 2: a correct solution that compares ballots field by field and spreads the accepted proposal into the promise.

import type { Accept, AcceptedMsg, AcceptorState, AcceptorStep, Ballot, Nack, Prepare, PromiseMsg } from "@course/paxos";
import type { Expectation } from "../../corpus.js";

export const expectation: Expectation = { correct: true, why: "orders ballots by round then node itself and builds the promise with a conditional spread" };

function below(a: Ballot, b: Ballot | undefined): boolean {
  if (b === undefined) return false;
  return a.round < b.round || (a.round === b.round && a.node < b.node);
}

export function onPrepare(state: AcceptorState, msg: Prepare): AcceptorStep<PromiseMsg | Nack> {
  if (state.promised !== undefined && below(msg.n, state.promised)) return { state, reply: { type: "nack", phase: "prepare", n: msg.n, promised: state.promised } };
  return { state: { ...state, promised: msg.n }, reply: { type: "promise", n: msg.n, ...(state.accepted ? { accepted: state.accepted } : {}) } };
}

export function onAccept(state: AcceptorState, msg: Accept): AcceptorStep<AcceptedMsg | Nack> {
  if (state.promised !== undefined && below(msg.n, state.promised)) return { state, reply: { type: "nack", phase: "accept", n: msg.n, promised: state.promised } };
  const accepted = { n: msg.n, v: msg.v };
  return { state: { promised: msg.n, accepted }, reply: { type: "accepted", ...accepted } };
}
