// Corpus, exercise 4: a buggy solution that re-proposes the reported values in consecutive slots, closing the holes.

import { compareBallots, type Command, type MPromise, type Phase1Merge, type SlotAccepted } from "@course/paxos";
import type { Expectation } from "../../corpus.js";

export const expectation: Expectation = { correct: false, why: "packs the reported values into consecutive slots from fromSlot, so a value that may be chosen in slot s is proposed in another slot and s gets something else" };

export function mergePhase1(promises: readonly MPromise[], fromSlot: number): Phase1Merge {
  const best = new Map<number, SlotAccepted>();
  for (const p of promises) {
    for (const [slot, acc] of p.accepted) {
      if (slot < fromSlot) continue;
      const seen = best.get(slot);
      if (seen === undefined || compareBallots(acc.n, seen.n) > 0) best.set(slot, acc);
    }
  }
  const values = [...best.entries()].sort((a, b) => a[0] - b[0]).map(([, acc]) => acc.v);
  return { proposals: values.map((v, k) => [fromSlot + k, v] as const), nextSlot: fromSlot + values.length };
}
