// Corpus, exercise 4: a correct solution that hands back copies of the reported commands.

import { compareBallots, type Command, type MPromise, type Phase1Merge, type SlotAccepted } from "@course/paxos";
import type { Expectation } from "../../corpus.js";

export const expectation: Expectation = { correct: true, why: "returns a copy of each reported command ({ ...v }), equal field for field to the one in the promise" };

export function mergePhase1(promises: readonly MPromise[], fromSlot: number): Phase1Merge {
  const best = new Map<number, SlotAccepted>();
  for (const p of promises) {
    for (const [slot, acc] of p.accepted) {
      const seen = best.get(slot);
      if (slot >= fromSlot && (!seen || compareBallots(acc.n, seen.n) > 0)) best.set(slot, acc);
    }
  }
  const top = Math.max(fromSlot - 1, ...best.keys());
  const proposals: Array<readonly [number, Command]> = [];
  for (let slot = fromSlot; slot <= top; slot++) {
    const v = best.get(slot)?.v;
    proposals.push([slot, v ? { ...v } : null]);
  }
  return { proposals, nextSlot: top + 1 };
}
