// The race both dueling scenarios run: two proposers, the second starting while the first is between its phases.

import type { LinkConfig } from "@course/sim";

export const RIVALS = [1, 3] as const;
/** Proposer 3 starts this long after proposer 1 (ms): its prepare lands between 1's prepare and 1's accept. */
export const RIVAL_DELAY = 4;
/** Every message between two nodes takes exactly 5 ms: nothing but the proposers' own timing can break the tie. */
export const DUEL_NETWORK: Partial<LinkConfig> = { latency: { kind: "fixed", ms: 5 } };
