// Majority arithmetic: a vote is won, lost or pending; the highest index a majority has stored.

import type { NodeId } from "@course/sim";

export function majority(size: number): number {
  return Math.floor(size / 2) + 1;
}

export type VoteResult = "won" | "lost" | "pending";

/** Only votes from current members count (§6: a configuration decides who is in the quorum). */
export function voteResult(members: readonly NodeId[], granted: ReadonlySet<NodeId>, rejected: ReadonlySet<NodeId>): VoteResult {
  const need = majority(members.length);
  let yes = 0;
  let no = 0;
  for (const m of members) {
    if (granted.has(m)) yes++;
    else if (rejected.has(m)) no++;
  }
  if (yes >= need) return "won";
  if (no > members.length - need) return "lost";
  return "pending";
}

/** The largest index N such that a majority of `members` have matchIndex >= N. */
export function quorumIndex(members: readonly NodeId[], matchIndex: (node: NodeId) => number): number {
  const n = members.length;
  if (n === 0) return 0;
  // Insertion sort, highest first: a leader runs this on every acknowledgement, for a handful of members.
  const sorted: number[] = [];
  for (const m of members) {
    const v = matchIndex(m);
    let k = sorted.length;
    sorted.push(v);
    while (k > 0 && (sorted[k - 1] as number) < v) {
      sorted[k] = sorted[k - 1] as number;
      k--;
    }
    sorted[k] = v;
  }
  return sorted[majority(n) - 1] as number;
}
