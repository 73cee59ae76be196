// Exercise 10: decide which phase-1 and phase-2 quorum systems a Multi-Paxos cluster may run with. Then run `npm run grade 10`.

import type { QuorumCheck, QuorumSystem } from "@course/paxos";

// A QuorumSystem over the cluster's nodes 0 to nodes-1 comes in one of two forms:
//   { size: 3 }                 every set of at least 3 distinct nodes is a quorum (how a replica counts replies);
//   { sets: [[0, 1], [2, 3]] }  exactly the sets listed are quorums (and any set that contains one of them).
// A node listed twice in one set counts once. A size of 0, or an empty set in the list, makes the empty set a
// quorum: a quorum that meets nothing. A size above `nodes`, or an empty list, leaves a system with no quorum at all.
//
// Return one of:
//   { ok: true }
//   { ok: false, reason: "no-quorum", phase: 1 }   (or phase: 2) that phase's system has no quorum at all
//   { ok: false, reason: "disjoint", phase1: [...], phase2: [...] }
//                                                  a phase-1 quorum and a phase-2 quorum with no node in common

/**
 * Flexible Paxos (Howard, Malkhi and Spiegelman, "Flexible Paxos: Quorum intersection revisited", 2016): Paxos stays
 * safe as long as every phase-1 quorum shares at least one node with every phase-2 quorum. That shared node is how a
 * new leader's phase 1 hears of a value some phase-2 quorum may already have chosen. Nothing else is required:
 * two phase-1 quorums may miss each other, and so may two phase-2 quorums, so neither phase needs a majority.
 *
 * Given the cluster size `nodes` (1 or more) and the two systems (sets name only nodes 0 to nodes-1), return
 * `{ ok: true }` when every phase-1 quorum meets every phase-2 quorum. Otherwise say why not: a phase whose system has
 * no quorum at all could never finish (`no-quorum`, with that phase); else name one phase-1 quorum and one phase-2
 * quorum that share no node (`disjoint`), the evidence that two leaders could each decide without hearing of the other.
 */
export function checkQuorums(nodes: number, phase1: QuorumSystem, phase2: QuorumSystem): QuorumCheck {
  throw new Error("TODO: checkQuorums (Flexible Paxos, Howard, Malkhi and Spiegelman 2016)");
}
