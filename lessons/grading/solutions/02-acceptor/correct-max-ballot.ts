// Corpus, exercise 2: a correct solution that raises the promise with maxBallot and answers from one code path.

import { compareBallots, maxBallot, type Accept, type AcceptedMsg, type AcceptorState, type AcceptorStep, type Ballot, type Nack, type Prepare, type PromiseMsg } from "@course/paxos";
import type { Expectation } from "../../corpus.js";

export const expectation: Expectation = { correct: true, why: "computes the new promise as maxBallot(promised, n), which is n whenever the message is not refused" };

export function onPrepare(state: AcceptorState, msg: Prepare): AcceptorStep<PromiseMsg | Nack> {
  const ok = compareBallots(msg.n, state.promised) >= 0;
  if (!ok) return { state, reply: { type: "nack", phase: "prepare", n: msg.n, promised: state.promised as Ballot } };
  const promised = maxBallot(state.promised, msg.n) as Ballot;
  if (state.accepted) return { state: { promised, accepted: state.accepted }, reply: { type: "promise", n: msg.n, accepted: state.accepted } };
  return { state: { promised }, reply: { type: "promise", n: msg.n } };
}

export function onAccept(state: AcceptorState, msg: Accept): AcceptorStep<AcceptedMsg | Nack> {
  if (compareBallots(msg.n, state.promised) < 0) return { state, reply: { type: "nack", phase: "accept", n: msg.n, promised: state.promised as Ballot } };
  return { state: { promised: maxBallot(state.promised, msg.n) as Ballot, accepted: { n: msg.n, v: msg.v } }, reply: { type: "accepted", n: msg.n, v: msg.v } };
}
