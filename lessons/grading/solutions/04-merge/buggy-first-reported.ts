// Corpus, exercise 4: a buggy solution that keeps the first value reported for a slot.

import { compareBallots, type Command, type MPromise, type Phase1Merge, type SlotAccepted } from "@course/paxos";
import type { Expectation } from "../../corpus.js";

export const expectation: Expectation = { correct: false, why: "keeps the first value a promise reports for a slot, not the one with the highest ballot, which may be the chosen value" };

export function mergePhase1(promises: readonly MPromise[], fromSlot: number): Phase1Merge {
  const best = new Map<number, Command>();
  let top = fromSlot - 1;
  for (const p of promises) {
    for (const [slot, acc] of p.accepted) {
      if (slot < fromSlot) continue;
      top = Math.max(top, slot);
      if (!best.has(slot)) best.set(slot, acc.v);
    }
  }
  const proposals: Array<readonly [number, Command]> = [];
  for (let slot = fromSlot; slot <= top; slot++) proposals.push([slot, best.get(slot) ?? null]);
  return { proposals, nextSlot: top + 1 };
}
