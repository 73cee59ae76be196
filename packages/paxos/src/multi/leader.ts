// What a new Multi-Paxos leader does with the promises it collected: re-propose what may be chosen, fill gaps.

import { compareBallots } from "../ballot.js";
import type { Command, MPromise, SlotAccepted } from "./messages.js";

export interface Phase1Merge {
  /** Slots to run phase 2 for, in order, with the value each must carry. */
  readonly proposals: readonly (readonly [number, Command])[];
  /** The first slot that is free for new commands. */
  readonly nextSlot: number;
}

/**
 * Paxos Made Simple §3: for every slot from `fromSlot` up to the highest slot any promise mentions, the new
 * leader must propose the value of the highest-numbered accepted proposal reported for that slot (it may
 * already be chosen), and a no-op where no acceptor in the majority reported anything, so that later
 * commands are not held up by a hole in the log.
 */
export function mergePhase1(promises: readonly MPromise[], fromSlot: number): Phase1Merge {
  const best = new Map<number, SlotAccepted>();
  let top = fromSlot - 1;
  for (const p of promises) {
    for (const [slot, acc] of p.accepted) {
      if (slot < fromSlot) continue;
      top = Math.max(top, slot);
      const seen = best.get(slot);
      if (seen === undefined || compareBallots(acc.n, seen.n) > 0) best.set(slot, acc);
    }
  }
  const proposals: Array<readonly [number, Command]> = [];
  for (let slot = fromSlot; slot <= top; slot++) proposals.push([slot, best.get(slot)?.v ?? null]);
  return { proposals, nextSlot: top + 1 };
}
