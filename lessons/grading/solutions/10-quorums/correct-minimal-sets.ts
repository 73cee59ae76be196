// Corpus, exercise 10: a correct solution that turns every system into its list of smallest quorums and compares every pair.

import type { QuorumCheck, QuorumSystem } from "@course/paxos";
import type { Expectation } from "../../corpus.js";

export const expectation: Expectation = { correct: true, why: "checks 'no quorum' first, then builds an explicit list for size systems (all sets of that many nodes) and compares every pair; slower than counting, but exact" };

function combinations(nodes: number, k: number): number[][] {
  if (k === 0) return [[]];
  const out: number[][] = [];
  const walk = (start: number, picked: number[]) => {
    if (picked.length === k) return void out.push([...picked]);
    for (let id = start; id < nodes; id++) walk(id + 1, [...picked, id]);
  };
  walk(0, []);
  return out;
}

function quorums(nodes: number, s: QuorumSystem): number[][] | undefined {
  if ("size" in s) return s.size > nodes ? undefined : combinations(nodes, Math.max(0, s.size));
  return s.sets.length === 0 ? undefined : s.sets.map((set) => [...new Set(set)]);
}

export function checkQuorums(nodes: number, phase1: QuorumSystem, phase2: QuorumSystem): QuorumCheck {
  const q1 = quorums(nodes, phase1);
  if (q1 === undefined) return { ok: false, reason: "no-quorum", phase: 1 };
  const q2 = quorums(nodes, phase2);
  if (q2 === undefined) return { ok: false, reason: "no-quorum", phase: 2 };
  for (const a of q1) for (const b of q2) if (!a.some((id) => b.includes(id))) return { ok: false, reason: "disjoint", phase1: a, phase2: b };
  return { ok: true };
}
