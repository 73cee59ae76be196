// Corpus, exercise 4: a buggy solution that does not skip slots below fromSlot.

import { compareBallots, type Command, type MPromise, type Phase1Merge, type SlotAccepted } from "@course/paxos";
import type { Expectation } from "../../corpus.js";

export const expectation: Expectation = { correct: false, why: "re-proposes slots below fromSlot too and fills the holes down there with no-ops, although those slots are already decided" };

export function mergePhase1(promises: readonly MPromise[], fromSlot: number): Phase1Merge {
  const best = new Map<number, SlotAccepted>();
  for (const p of promises) {
    for (const [slot, acc] of p.accepted) {
      const seen = best.get(slot);
      if (seen === undefined || compareBallots(acc.n, seen.n) > 0) best.set(slot, acc);
    }
  }
  const low = Math.min(fromSlot, ...best.keys());
  const top = Math.max(fromSlot - 1, ...best.keys());
  const proposals: Array<readonly [number, Command]> = [];
  for (let slot = low; slot <= top; slot++) proposals.push([slot, best.get(slot)?.v ?? null]);
  return { proposals, nextSlot: top + 1 };
}
