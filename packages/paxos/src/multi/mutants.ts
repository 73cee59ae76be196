// Deliberately broken Multi-Paxos rules ("mutants"): the checkers and the randomized tests must catch each one.

import type { MultiPaxosRules } from "./rules.js";

export interface MultiPaxosMutant {
  readonly description: string;
  readonly rules: Partial<MultiPaxosRules>;
}

export const multiPaxosMutants = {
  acceptBelowPromise: {
    description: "the acceptor accepts into a slot even when it promised a higher number",
    rules: {
      onMultiAccept: (state, msg) => ({
        state: { ...state, accepted: new Map(state.accepted).set(msg.slot, { n: msg.n, v: msg.v }) },
        reply: { type: "accepted", n: msg.n, slot: msg.slot, v: msg.v },
      }),
    },
  },
  noOpEverything: {
    description: "a new leader ignores the values reported in promises and fills every open slot with a no-op",
    rules: {
      mergePhase1: (promises, fromSlot) => {
        let top = fromSlot - 1;
        for (const p of promises) for (const [slot] of p.accepted) top = Math.max(top, slot);
        const proposals: Array<readonly [number, null]> = [];
        for (let s = fromSlot; s <= top; s++) proposals.push([s, null]);
        return { proposals, nextSlot: top + 1 };
      },
    },
  },
  forgetPromise: {
    description: "the acceptor does not persist its promise, so it forgets it when it restarts",
    rules: { durablePromise: () => undefined },
  },
  learnFromOne: {
    description: "a learner treats a slot as chosen as soon as one acceptor accepted it",
    rules: { learnSlot: (tally, _from, msg) => ({ tally, chosen: { slot: msg.slot, v: msg.v } }) },
  },
  executeEveryCopy: {
    description: "the state machine has no client sessions: it executes every chosen copy of a command, so a command chosen in two slots runs twice",
    rules: { executeOnce: (sessions, slot) => ({ sessions, execute: true, slot }) },
  },
} satisfies Record<string, MultiPaxosMutant>;

export type MultiPaxosMutantName = keyof typeof multiPaxosMutants;
