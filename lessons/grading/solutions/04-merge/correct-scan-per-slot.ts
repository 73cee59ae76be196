// Corpus, exercise 4: a correct solution that finds the highest slot first, then scans every promise once per slot.

import { compareBallots, type Command, type MPromise, type Phase1Merge, type SlotAccepted } from "@course/paxos";
import type { Expectation } from "../../corpus.js";

export const expectation: Expectation = { correct: true, why: "two passes: the highest slot mentioned, then per slot a scan of every promise (ties between equal ballots keep the later one)" };

export function mergePhase1(promises: readonly MPromise[], fromSlot: number): Phase1Merge {
  let top = fromSlot - 1;
  for (const p of promises) for (const [slot] of p.accepted) if (slot > top) top = slot;
  const proposals: Array<readonly [number, Command]> = [];
  for (let slot = fromSlot; slot <= top; slot++) {
    let best: SlotAccepted | undefined;
    for (const p of promises) {
      for (const [s, acc] of p.accepted) if (s === slot && (best === undefined || compareBallots(acc.n, best.n) >= 0)) best = acc;
    }
    proposals.push([slot, best === undefined ? null : best.v]);
  }
  return { proposals, nextSlot: top + 1 };
}
