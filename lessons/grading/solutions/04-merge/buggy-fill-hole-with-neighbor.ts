// Corpus, exercise 4: a buggy solution that fills a hole with the value of the slot before it.

import { compareBallots, type Command, type MPromise, type Phase1Merge, type SlotAccepted } from "@course/paxos";
import type { Expectation } from "../../corpus.js";

export const expectation: Expectation = { correct: false, why: "fills a slot nobody reported with the previous slot's command instead of a no-op, so one client command is chosen in two slots" };

export function mergePhase1(promises: readonly MPromise[], fromSlot: number): Phase1Merge {
  const best = new Map<number, SlotAccepted>();
  for (const p of promises) {
    for (const [slot, acc] of p.accepted) {
      if (slot < fromSlot) continue;
      const seen = best.get(slot);
      if (seen === undefined || compareBallots(acc.n, seen.n) > 0) best.set(slot, acc);
    }
  }
  const top = Math.max(fromSlot - 1, ...best.keys());
  const proposals: Array<readonly [number, Command]> = [];
  let previous: Command = null;
  for (let slot = fromSlot; slot <= top; slot++) {
    const v: Command = best.has(slot) ? (best.get(slot) as SlotAccepted).v : previous;
    proposals.push([slot, v]);
    previous = v;
  }
  return { proposals, nextSlot: top + 1 };
}
