// Exercise 2 (Basic Paxos acceptor): the reference it is graded against, the classic mistakes it must catch and the exhaustive search that hunts them.

import { compareBallots, onAccept, onPrepare, paxosMutants, type AcceptorState } from "@course/paxos";
import { defineExercise } from "../../grading/exercise.js";
import { checkAcceptorStep } from "../../grading/shapes.js";
import { PAXOS_ACCEPTED_BY_ONE_THEN_RIVAL, PAXOS_TWO_PROPOSERS } from "../../grading/clusters/search-starts.js";

type AcceptorRules = { onPrepare: typeof onPrepare; onAccept: typeof onAccept };

export const acceptorExercise = defineExercise<AcceptorRules>({
  lesson: 2,
  folder: "02-basic-paxos",
  id: "acceptor",
  title: "The acceptor: Prepare and Accept",
  stubFile: "02-basic-paxos/exercise/acceptor.ts",
  functions: ["onPrepare", "onAccept"],
  loadStudent: () => import("./acceptor.js"),
  reference: { onPrepare, onAccept },
  checkResult: { onPrepare: checkAcceptorStep(["promise", "nack"]), onAccept: checkAcceptorStep(["accepted", "nack"]) },
  mutants: {
    "accept-below-promise": { searchFinds: true, description: paxosMutants.acceptBelowPromise.description, functions: { onAccept: paxosMutants.acceptBelowPromise.rules.onAccept } },
    "promise-hides-accepted": {
      description: "the promise never reports the acceptor's accepted proposal, so a new proposer cannot adopt a value that may be chosen",
      functions: {
        onPrepare: (state, msg) => {
          const step = onPrepare(state, msg);
          return step.reply.type === "promise" ? { ...step, reply: { type: "promise", n: step.reply.n } } : step;
        },
      },
    },
    "promise-any-number": {
      searchFinds: true,
      description: "the acceptor promises every prepare, even one numbered below its promise, and so lowers its promise",
      functions: {
        onPrepare: (state, msg) => ({
          state: { ...state, promised: msg.n },
          reply: state.accepted === undefined ? { type: "promise", n: msg.n } : { type: "promise", n: msg.n, accepted: state.accepted },
        }),
      },
    },
    "accepted-reply-old-value": {
      searchFinds: true,
      description: "the accepted reply carries the value accepted before this one, so learners count votes for a value the acceptor no longer holds",
      functions: {
        onAccept: (state, msg) => {
          const step = onAccept(state, msg);
          return step.reply.type === "accepted" ? { ...step, reply: { ...step.reply, v: state.accepted?.v ?? msg.v } } : step;
        },
      },
    },
    "keep-first-accepted": {
      searchFinds: true,
      description: "the acceptor keeps reporting the first proposal it accepted instead of the highest-numbered one",
      functions: {
        onAccept: (state, msg) => {
          if (state.promised !== undefined && compareBallots(msg.n, state.promised) < 0) return { state, reply: { type: "nack", phase: "accept", n: msg.n, promised: state.promised } };
          const next: AcceptorState = { promised: msg.n, accepted: state.accepted ?? { n: msg.n, v: msg.v } };
          return { state: next, reply: { type: "accepted", n: msg.n, v: msg.v } };
        },
      },
    },
  },
  search: {
    hint: "node 2 asks with a higher number while node 0's accept requests are in flight: what must an acceptor that promised node 2 do with them?",
    searches: (impl) => [
      { label: "a rival's prepare overtakes accept requests", options: { protocol: "paxos", rules: impl, depth: 6, drops: 0, timers: 0, requests: 0, lifetime: 0 }, start: PAXOS_TWO_PROPOSERS },
      { label: "an acceptor accepts a second value", options: { protocol: "paxos", rules: impl, depth: 4, drops: 0, timers: 0, requests: 0, lifetime: 0 }, start: PAXOS_ACCEPTED_BY_ONE_THEN_RIVAL },
    ],
  },
});
