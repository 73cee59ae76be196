// Deliberately broken Basic Paxos rules ("mutants"): the checkers and the randomized tests must catch each one.

import { compareBallots } from "../ballot.js";
import type { AcceptorState } from "./acceptor.js";
import type { PaxosRules } from "./rules.js";

export interface PaxosMutant {
  /** The bug it plants, in a sentence. */
  readonly description: string;
  readonly rules: Partial<PaxosRules>;
}

export const paxosMutants = {
  acceptBelowPromise: {
    description: "the acceptor accepts any proposal, even one numbered below the promise it made",
    rules: {
      onAccept: (state, msg) => ({
        state: { promised: compareBallots(msg.n, state.promised) > 0 ? msg.n : state.promised, accepted: { n: msg.n, v: msg.v } } as AcceptorState,
        reply: { type: "accepted", n: msg.n, v: msg.v },
      }),
    },
  },
  ignoreAcceptedValues: {
    description: "the proposer always sends its own value, even when a promise reports an accepted one",
    rules: { chooseValue: (_promises, ownValue) => ownValue },
  },
  adoptLowestAccepted: {
    description: "the proposer adopts the value of the lowest-numbered accepted proposal instead of the highest",
    rules: {
      chooseValue: (promises, ownValue) => {
        let best: { n: { round: number; node: number }; v: string } | undefined;
        for (const p of promises) if (p.accepted !== undefined && (best === undefined || compareBallots(p.accepted.n, best.n) < 0)) best = p.accepted;
        return best === undefined ? ownValue : best.v;
      },
    },
  },
  forgetPromise: {
    description: "the acceptor does not persist its promise, so it forgets it when it restarts",
    rules: { durableAcceptorState: (state) => (state.accepted === undefined ? {} : { accepted: state.accepted }) },
  },
  learnOnFirstAccepted: {
    description: "a learner takes the first accepted message it hears as the chosen value",
    rules: { learnFromAccepted: (tally, _from, msg) => ({ tally, chosen: msg.v, count: 1 }) },
  },
  sharedProposalNumbers: {
    description: "proposal numbers leave out the proposer's id, so two proposers can use the same number",
    rules: {
      nextProposalNumber: (rejections, round) => {
        let highest = round;
        for (const r of rejections) highest = Math.max(highest, r.round);
        return { round: highest + 1, node: 0 };
      },
    },
  },
} satisfies Record<string, PaxosMutant>;

export type PaxosMutantName = keyof typeof paxosMutants;
