// Corpus, exercise 4: a buggy solution that also re-proposes the values that lost their slot, after the last slot.

import { compareBallots, type Command, type MPromise, type Phase1Merge, type SlotAccepted } from "@course/paxos";
import type { Expectation } from "../../corpus.js";

export const expectation: Expectation = {
  correct: false,
  why: "re-proposes every lower-ballot value it saw (so no client command is lost) in new slots after the last one; the client's own retry proposes it again: one command chosen in two slots",
};

export function mergePhase1(promises: readonly MPromise[], fromSlot: number): Phase1Merge {
  const all = new Map<number, SlotAccepted[]>();
  for (const p of promises) for (const [slot, acc] of p.accepted) if (slot >= fromSlot) all.set(slot, [...(all.get(slot) ?? []), acc]);
  const top = Math.max(fromSlot - 1, ...all.keys());
  const proposals: Array<readonly [number, Command]> = [];
  const losers: Command[] = [];
  for (let slot = fromSlot; slot <= top; slot++) {
    const seen = [...(all.get(slot) ?? [])].sort((a, b) => compareBallots(b.n, a.n));
    proposals.push([slot, seen[0]?.v ?? null]);
    for (const acc of seen.slice(1)) if (acc.v !== null && JSON.stringify(acc.v) !== JSON.stringify(seen[0]?.v)) losers.push(acc.v);
  }
  let next = top + 1;
  for (const v of losers) proposals.push([next++, v]);
  return { proposals, nextSlot: next };
}
