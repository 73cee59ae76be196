// Quorum sizes for Multi-Paxos's two phases: majorities by default, any sizes for Flexible Paxos experiments.

import { majority } from "../quorum.js";

/**
 * How many acceptors a leader needs in each phase: `phase1` promises to lead, `phase2` acceptances to choose
 * a slot's value. Paxos needs only that every phase-1 quorum meets every phase-2 quorum (Flexible Paxos, Howard,
 * Malkhi and Spiegelman 2016), not that both are majorities.
 */
export interface Quorums {
  readonly phase1: number;
  readonly phase2: number;
}

/**
 * The sizes a replica in a cluster of `clusterSize` uses: each given size, else a majority. Any size from 1 to
 * the cluster size is accepted, even pairs that do not intersect, so that a run can show what they break.
 */
export function quorumsFor(clusterSize: number, sizes: Partial<Quorums> = {}): Quorums {
  const quorums = { phase1: sizes.phase1 ?? majority(clusterSize), phase2: sizes.phase2 ?? majority(clusterSize) };
  for (const [phase, size] of Object.entries(quorums)) {
    if (!Number.isInteger(size) || size < 1 || size > clusterSize) {
      throw new RangeError(`quorums.${phase} must be a whole number from 1 to the cluster size (${clusterSize}), got ${String(size)}`);
    }
  }
  return quorums;
}
