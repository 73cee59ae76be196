// Flexible Paxos: may a cluster run with these phase-1 and phase-2 quorum systems? They must meet, pair by pair.

import type { NodeId } from "@course/sim";

/**
 * A quorum system over the nodes 0 to n-1, in one of two forms:
 * - `{ size }`: every set of at least `size` distinct nodes is a quorum (how a replica counts promises or acceptances);
 * - `{ sets }`: the sets listed are the quorums (and so is any set that contains one of them). A node listed twice
 *   in one set counts once.
 */
export type QuorumSystem = { readonly size: number } | { readonly sets: readonly (readonly NodeId[])[] };

/**
 * The verdict on a pair of quorum systems: `ok`, or why a cluster must not run with them. `no-quorum`: that phase's
 * system has no quorum at all (a size above the cluster size, an empty list), so the phase could never finish.
 * `disjoint`: a phase-1 quorum and a phase-2 quorum with no node in common, the evidence that a value could be
 * chosen by one and missed by the other.
 */
export type QuorumCheck =
  | { readonly ok: true }
  | { readonly ok: false; readonly reason: "no-quorum"; readonly phase: 1 | 2 }
  | { readonly ok: false; readonly reason: "disjoint"; readonly phase1: readonly NodeId[]; readonly phase2: readonly NodeId[] };

/** A system reduced to what matters: a minimum size, or its listed quorums as sorted sets of distinct nodes. */
type Normalized = { readonly size: number } | { readonly sets: readonly (readonly NodeId[])[] };

function normalize(system: QuorumSystem): Normalized {
  if ("size" in system) return { size: system.size };
  return { sets: system.sets.map((set) => [...new Set(set)].sort((a, b) => a - b)) };
}

function hasQuorum(nodes: number, system: Normalized): boolean {
  return "size" in system ? system.size <= nodes : system.sets.length > 0;
}

/** The first `count` nodes of 0..n-1 that are not in `taken`, or undefined when there are not that many. */
function nodesOutside(nodes: number, taken: readonly NodeId[], count: number): NodeId[] | undefined {
  const out: NodeId[] = [];
  for (let id = 0; id < nodes && out.length < count; id++) if (!taken.includes(id)) out.push(id);
  return out.length === count ? out : undefined;
}

/** A phase-1 quorum and a phase-2 quorum with no node in common, if the two systems have such a pair. */
function disjointPair(nodes: number, phase1: Normalized, phase2: Normalized): [NodeId[], NodeId[]] | undefined {
  if ("size" in phase1 && "size" in phase2) {
    // Two sets of these sizes can be disjoint exactly when there are enough nodes for both.
    if (phase1.size + phase2.size > nodes) return undefined;
    const first = Array.from({ length: phase1.size }, (_, i) => i);
    return [first, Array.from({ length: phase2.size }, (_, i) => phase1.size + i)];
  }
  if ("size" in phase1 && "sets" in phase2) {
    const pair = disjointPair(nodes, phase2, phase1);
    return pair === undefined ? undefined : [pair[1], pair[0]];
  }
  if ("sets" in phase1 && "size" in phase2) {
    // A listed set misses some size-q quorum when at least q nodes lie outside it.
    for (const set of phase1.sets) {
      const outside = nodesOutside(nodes, set, phase2.size);
      if (outside !== undefined) return [[...set], outside];
    }
    return undefined;
  }
  const sets1 = (phase1 as { sets: readonly (readonly NodeId[])[] }).sets;
  const sets2 = (phase2 as { sets: readonly (readonly NodeId[])[] }).sets;
  for (const a of sets1) for (const b of sets2) if (!a.some((id) => b.includes(id))) return [[...a], [...b]];
  return undefined;
}

/**
 * Flexible Paxos (Howard, Malkhi and Spiegelman, "Flexible Paxos: Quorum intersection revisited", 2016): Paxos stays
 * safe when every phase-1 quorum shares a node with every phase-2 quorum. That shared node is how a new leader's
 * phase 1 learns of a value a phase-2 quorum may have chosen. Phase-1 quorums need not meet each other, nor
 * phase-2 quorums each other. `nodes` is the cluster size (at least 1); sets name nodes from 0 to nodes-1.
 */
export function checkQuorums(nodes: number, phase1: QuorumSystem, phase2: QuorumSystem): QuorumCheck {
  const q1 = normalize(phase1);
  const q2 = normalize(phase2);
  if (!hasQuorum(nodes, q1)) return { ok: false, reason: "no-quorum", phase: 1 };
  if (!hasQuorum(nodes, q2)) return { ok: false, reason: "no-quorum", phase: 2 };
  const pair = disjointPair(nodes, q1, q2);
  return pair === undefined ? { ok: true } : { ok: false, reason: "disjoint", phase1: pair[0], phase2: pair[1] };
}
