// Corpus, exercise 4: a buggy solution that keeps the lowest-numbered proposal per slot.

import { compareBallots, type Command, type MPromise, type Phase1Merge, type SlotAccepted } from "@course/paxos";
import type { Expectation } from "../../corpus.js";

export const expectation: Expectation = { correct: false, why: "the comparison is the wrong way round: per slot it keeps the lowest ballot's value, the one least likely to be chosen" };

export function mergePhase1(promises: readonly MPromise[], fromSlot: number): Phase1Merge {
  const best = new Map<number, SlotAccepted>();
  for (const p of promises) {
    for (const [slot, acc] of p.accepted) {
      if (slot < fromSlot) continue;
      const seen = best.get(slot);
      if (seen === undefined || compareBallots(acc.n, seen.n) < 0) best.set(slot, acc);
    }
  }
  const top = Math.max(fromSlot - 1, ...best.keys());
  const proposals: Array<readonly [number, Command]> = [];
  for (let slot = fromSlot; slot <= top; slot++) proposals.push([slot, best.get(slot)?.v ?? null]);
  return { proposals, nextSlot: top + 1 };
}
