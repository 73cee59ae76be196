// Deliberately broken two-phase commit rules ("mutants"): the 2PC checker and randomized tests must catch each one.

import type { TwoPcRules } from "./rules.js";

export interface TwoPcMutant {
  readonly description: string;
  readonly rules: Partial<TwoPcRules>;
}

export const twoPcMutants = {
  commitOnMajority: {
    description: "the coordinator commits once a majority voted yes, ignoring the others' votes",
    rules: {
      decide: (votes, participants) => {
        const yes = [...votes.values()].filter((v) => v).length;
        if (yes * 2 > participants.length) return "commit";
        return votes.size === participants.length ? "abort" : undefined;
      },
    },
  },
  abortWhenInDoubt: {
    description: "a participant that restarts prepared aborts on its own instead of asking the coordinator",
    rules: { recover: (state) => ({ state: state === "committed" ? "committed" : "aborted", action: "none" }) },
  },
  presumeCommit: {
    description: "a coordinator with no logged decision answers commit",
    rules: { recoverDecision: (logged) => logged ?? "commit" },
  },
} satisfies Record<string, TwoPcMutant>;

export type TwoPcMutantName = keyof typeof twoPcMutants;
