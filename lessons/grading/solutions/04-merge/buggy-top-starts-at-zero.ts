// Corpus, exercise 4: a buggy solution that starts looking for the highest slot at 0 instead of below fromSlot.

import { compareBallots, type Command, type MPromise, type Phase1Merge, type SlotAccepted } from "@course/paxos";
import type { Expectation } from "../../corpus.js";

export const expectation: Expectation = {
  correct: false,
  why: "top starts at 0: when no promise mentions a slot at or after fromSlot > 1, nextSlot becomes 1 and new commands go into slots that are already decided",
};

export function mergePhase1(promises: readonly MPromise[], fromSlot: number): Phase1Merge {
  const best = new Map<number, SlotAccepted>();
  for (const p of promises) {
    for (const [slot, acc] of p.accepted) {
      if (slot < fromSlot) continue;
      const seen = best.get(slot);
      if (seen === undefined || compareBallots(acc.n, seen.n) > 0) best.set(slot, acc);
    }
  }
  let top = 0;
  for (const slot of best.keys()) top = Math.max(top, slot);
  const proposals: Array<readonly [number, Command]> = [];
  for (let slot = fromSlot; slot <= top; slot++) proposals.push([slot, best.get(slot)?.v ?? null]);
  return { proposals, nextSlot: top + 1 };
}
