// The shape of a graded cluster, drawn from the seed: how many nodes, and how many log entries one message may carry.

import type { NodeId } from "@course/sim";

/**
 * Cluster sizes the graded simulations cycle through. Five alone hides a majority written for five (a hard-coded 3,
 * "half rounded up"): three and seven change the majority, four makes "half" too small.
 */
export const CLUSTER_SIZES: readonly number[] = [3, 4, 5, 7];

/** Entries per AppendEntries the Raft simulations cycle through: with 1 or 2 a follower often holds entries past the message. */
export const ENTRY_CAPS: readonly number[] = [1, 2, 64];

/** The nodes of the cluster a seed runs: 0..n-1, n taken in turn from `sizes` (node 0 included, as a boundary). */
export function clusterNodes(seed: number, sizes: readonly number[] = CLUSTER_SIZES): NodeId[] {
  const n = sizes[seed % sizes.length] as number;
  return Array.from({ length: n }, (_, i) => i);
}

/** The AppendEntries cap a seed runs with; it changes every `CLUSTER_SIZES.length` seeds, so the fixed seeds cover every pair. */
export function entriesPerMessage(seed: number): number {
  return ENTRY_CAPS[Math.floor(seed / CLUSTER_SIZES.length) % ENTRY_CAPS.length] as number;
}
