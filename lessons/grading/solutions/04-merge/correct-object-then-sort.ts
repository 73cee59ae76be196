// Corpus, exercise 4: a correct solution that collects the best proposal per slot in an object and sorts at the end.

import { compareBallots, type Command, type MPromise, type Phase1Merge, type SlotAccepted } from "@course/paxos";
import type { Expectation } from "../../corpus.js";

export const expectation: Expectation = { correct: true, why: "keys the best proposal by slot in a plain object, keeps the first of two equal ballots (they carry one value), and sorts the slots at the end" };

export function mergePhase1(promises: readonly MPromise[], fromSlot: number): Phase1Merge {
  const best: Record<number, SlotAccepted> = {};
  for (const promise of promises) {
    for (const [slot, acc] of promise.accepted) {
      if (slot < fromSlot) continue;
      const seen = best[slot];
      if (seen === undefined || compareBallots(acc.n, seen.n) > 0) best[slot] = acc;
    }
  }
  const slots = Object.keys(best).map(Number).sort((a, b) => a - b);
  const top = slots.length === 0 ? fromSlot - 1 : (slots[slots.length - 1] as number);
  const proposals: Array<readonly [number, Command]> = [];
  for (let slot = fromSlot; slot <= top; slot++) proposals.push([slot, best[slot]?.v ?? null]);
  return { proposals, nextSlot: top + 1 };
}
