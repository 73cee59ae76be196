// Exercise 4: a new Multi-Paxos leader merges the promises it collected into the slots it must re-propose. Then run `npm run grade 4`.

import { compareBallots, type Command, type MPromise, type Phase1Merge, type SlotAccepted } from "@course/paxos";

// compareBallots(a, b) is negative, zero or positive as a is below, equal to or above b.
// A Command is a client's command { client, seq, op }, or null for the no-op that fills a gap. Copy the
// values you find in the promises as they are: never build one.

/**
 * Paxos Made Simple §3: a leader that won phase 1 for every slot from `fromSlot` on holds promises from a
 * majority; each promise lists `accepted`: [slot, { n, v }] pairs for the slots its acceptor has accepted.
 * For every slot from `fromSlot` up to the highest slot any promise mentions, return the value to propose:
 * - the value of the highest-numbered proposal reported for that slot (it may already be chosen);
 * - null (a no-op) for a slot that no promise mentions, so the hole does not hold up later commands.
 * Ignore slots below `fromSlot`. Return `{ proposals: [[slot, value], ...] in slot order, nextSlot }`, where
 * nextSlot is the first slot free for new client commands: the slot after the highest one any promise mentions,
 * or `fromSlot` itself when no promise mentions a slot from `fromSlot` on (slot numbers start at 0).
 */
export function mergePhase1(promises: readonly MPromise[], fromSlot: number): Phase1Merge {
  throw new Error("TODO: mergePhase1 (Paxos Made Simple §3)");
}
