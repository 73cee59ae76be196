// Corpus, exercise 10: a buggy solution that forgets systems with no quorum at all.

import type { QuorumCheck, QuorumSystem } from "@course/paxos";
import type { Expectation } from "../../corpus.js";

export const expectation: Expectation = { correct: false, why: "never reports a phase without any quorum: a size above N passes (its sum is large), and an empty list is reported as fine, though that phase could never finish" };

const all = (nodes: number) => Array.from({ length: nodes }, (_, i) => i);

export function checkQuorums(nodes: number, phase1: QuorumSystem, phase2: QuorumSystem): QuorumCheck {
  const none = (_s: QuorumSystem) => false;
  if (none(phase1)) return { ok: false, reason: "no-quorum", phase: 1 };
  if (none(phase2)) return { ok: false, reason: "no-quorum", phase: 2 };
  if ("size" in phase1 && "size" in phase2) {
    if (phase1.size + phase2.size > nodes) return { ok: true };
    const ids = all(nodes).reverse();
    return { ok: false, reason: "disjoint", phase1: ids.slice(0, phase1.size), phase2: ids.slice(phase1.size, phase1.size + phase2.size) };
  }
  if ("size" in phase1 || "size" in phase2) {
    const k = "size" in phase1 ? phase1.size : (phase2 as { size: number }).size;
    const sets = "sets" in phase1 ? phase1.sets : (phase2 as { sets: readonly (readonly number[])[] }).sets;
    for (const set of sets) {
      const outside = all(nodes).filter((id) => !set.includes(id)).reverse();
      if (outside.length < k) continue;
      const sized = outside.slice(0, k);
      return "size" in phase1 ? { ok: false, reason: "disjoint", phase1: sized, phase2: [...set] } : { ok: false, reason: "disjoint", phase1: [...set], phase2: sized };
    }
    return { ok: true };
  }
  for (const a of phase1.sets) for (const b of phase2.sets) if (a.every((id) => !b.includes(id))) return { ok: false, reason: "disjoint", phase1: [...a], phase2: [...b] };
  return { ok: true };
}
