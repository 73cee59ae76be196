// The Multi-Paxos learner: per slot, a command is chosen once a phase-2 quorum accepted it with the same number.

import type { NodeId } from "@course/sim";
import { formatBallot } from "../ballot.js";
import type { Command, MAccepted } from "./messages.js";

/** Per slot, which acceptors have accepted each proposal number (keyed by formatBallot). */
export type SlotTally = ReadonlyMap<number, Readonly<Record<string, readonly NodeId[]>>>;

export interface SlotLearnStep {
  readonly tally: SlotTally;
  readonly chosen?: { readonly slot: number; readonly v: Command };
}

/**
 * Paxos Made Simple §2.3, applied to one slot: count an "accepted", and report the slot chosen once `quorum`
 * acceptors (the phase-2 quorum size: a majority unless the cluster is configured otherwise) accepted one number.
 */
export function learnSlot(tally: SlotTally, from: NodeId, msg: MAccepted, quorum: number): SlotLearnStep {
  const key = formatBallot(msg.n);
  const forSlot = tally.get(msg.slot) ?? {};
  const voters = forSlot[key] ?? [];
  if (voters.includes(from)) return { tally };
  const next = [...voters, from];
  const updated = new Map(tally).set(msg.slot, { ...forSlot, [key]: next });
  return next.length >= quorum ? { tally: updated, chosen: { slot: msg.slot, v: msg.v } } : { tally: updated };
}
