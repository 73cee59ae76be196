// Exercise 10 (Flexible Paxos quorums): the reference it is graded against, the classic mistakes it must catch and the exhaustive search that hunts them.

import { checkQuorums, type QuorumCheck, type QuorumSystem } from "@course/paxos";
import { defineExercise } from "../../grading/exercise.js";
import { multiPaxosTakeover } from "../../grading/clusters/search-starts.js";

type QuorumRules = { checkQuorums: typeof checkQuorums };

/** How a buggy check goes wrong; every knob off is a correct check. */
interface Mistakes {
  /** Sizes that add up to exactly N count as meeting. */
  readonly sumAtLeastN?: boolean;
  /** Every size must be a majority, as if all quorums had to meet each other. */
  readonly majoritiesOnly?: boolean;
  /** A listed system is judged by the size of its smallest set, as if it were a size. */
  readonly sizesOnly?: boolean;
  /** A set's size is its number of entries, a node listed twice counted twice. */
  readonly countDuplicates?: boolean;
  /** Sizes above N and empty lists are not noticed. */
  readonly noQuorumUnchecked?: boolean;
  /** Only the first listed set of each system is looked at. */
  readonly firstSetOnly?: boolean;
}

const range = (from: number, count: number) => Array.from({ length: count }, (_, i) => from + i);

function checkWith(m: Mistakes): typeof checkQuorums {
  return (nodes, phase1, phase2): QuorumCheck => {
    const asSets = (s: QuorumSystem) => ("sets" in s ? (m.firstSetOnly ? s.sets.slice(0, 1) : s.sets) : undefined);
    const sizeOf = (set: readonly number[]) => (m.countDuplicates ? set.length : new Set(set).size);
    const simplify = (s: QuorumSystem): QuorumSystem => ("sets" in s && m.sizesOnly ? { size: Math.min(...s.sets.map(sizeOf)) } : s);
    const p1 = simplify(phase1);
    const p2 = simplify(phase2);
    if (!m.noQuorumUnchecked) {
      for (const [phase, s] of [[1, p1], [2, p2]] as const) {
        if ("size" in s ? s.size > nodes || !Number.isFinite(s.size) : (asSets(s) ?? []).length === 0) return { ok: false, reason: "no-quorum", phase };
      }
    }
    if ("size" in p1 && "size" in p2) {
      const meet = m.sumAtLeastN ? p1.size + p2.size >= nodes : p1.size + p2.size > nodes;
      const majorities = !m.majoritiesOnly || (2 * p1.size > nodes && 2 * p2.size > nodes);
      return meet && majorities ? { ok: true } : { ok: false, reason: "disjoint", phase1: range(0, p1.size), phase2: range(Math.max(0, nodes - p2.size), p2.size) };
    }
    const listed = (s: QuorumSystem) => asSets(s) ?? [];
    if ("size" in p1 || "size" in p2) {
      const size = ("size" in p1 ? p1 : p2) as { size: number };
      for (const set of listed("size" in p1 ? p2 : p1)) {
        if (nodes - sizeOf(set) < size.size) continue;
        const outside = range(0, nodes).filter((id) => !set.includes(id)).slice(0, size.size);
        return "size" in p1 ? { ok: false, reason: "disjoint", phase1: outside, phase2: [...set] } : { ok: false, reason: "disjoint", phase1: [...set], phase2: outside };
      }
      return { ok: true };
    }
    for (const a of listed(p1)) for (const b of listed(p2)) if (!a.some((id) => b.includes(id))) return { ok: false, reason: "disjoint", phase1: [...a], phase2: [...b] };
    return { ok: true };
  };
}

const isNodeList = (v: unknown) => Array.isArray(v) && v.every((id) => Number.isInteger(id));

export const quorumsExercise = defineExercise<QuorumRules>({
  lesson: 10,
  folder: "10-paxos-vs-raft",
  id: "quorums",
  title: "Flexible Paxos: which quorum systems a Multi-Paxos cluster may run with",
  stubFile: "10-paxos-vs-raft/exercise/quorums.ts",
  functions: ["checkQuorums"],
  loadStudent: () => import("./quorums.js"),
  reference: { checkQuorums },
  checkResult: {
    checkQuorums: (r) => {
      const v = r as { ok?: unknown; reason?: unknown; phase?: unknown; phase1?: unknown; phase2?: unknown } | null;
      if (typeof v !== "object" || v === null || typeof v.ok !== "boolean") return "it must return an object with `ok: true` or `ok: false`";
      if (v.ok) return undefined;
      if (v.reason === "no-quorum") return v.phase === 1 || v.phase === 2 ? undefined : "a `no-quorum` verdict names the phase: `phase: 1` or `phase: 2`";
      if (v.reason === "disjoint") return isNodeList(v.phase1) && isNodeList(v.phase2) ? undefined : "a `disjoint` verdict names the two quorums: `phase1` and `phase2`, arrays of node ids";
      return '`reason` must be "no-quorum" or "disjoint" when `ok` is false';
    },
  },
  mutants: {
    "sum-at-least-n": {
      searchFinds: true,
      description: "quorum sizes that add up to exactly N are taken to meet, but a quorum of 3 and a quorum of 2 can split five nodes between them",
      functions: { checkQuorums: checkWith({ sumAtLeastN: true }) },
    },
    "majorities-only": {
      description: "every quorum must be a majority, as if phase-2 quorums had to meet each other; Flexible Paxos needs only phase 1 to meet phase 2",
      functions: { checkQuorums: checkWith({ majoritiesOnly: true }) },
    },
    "sizes-only": {
      description: "listed quorums are judged by their sizes alone, so rows and columns of a grid, which always meet, are refused",
      functions: { checkQuorums: checkWith({ sizesOnly: true }) },
    },
    "count-duplicates": {
      description: "a node listed twice in a set is counted twice, so the set looks bigger than it is",
      functions: { checkQuorums: checkWith({ countDuplicates: true }) },
    },
    "no-quorum-unchecked": {
      description: "a quorum size larger than the cluster (a phase that can never finish) is accepted because the sizes add up to more than N",
      functions: { checkQuorums: checkWith({ noQuorumUnchecked: true }) },
    },
    "first-set-only": {
      description: "only the first listed quorum of each phase is compared, so a later pair that misses each other goes unnoticed",
      functions: { checkQuorums: checkWith({ firstSetOnly: true }) },
    },
  },
  search: {
    hint: "the search ran Multi-Paxos with the sizes named in the failure: the new leader's phase-1 quorum missed every acceptor of the old leader's phase-2 quorum, so it never heard of the chosen command",
    // Rejecting a safe pair cannot break a run; the suite's unit cases catch that. This search catches letting an unsafe pair through.
    searches: ({ checkQuorums }) =>
      [1, 2, 3].flatMap((phase1) =>
        [1, 2, 3]
          .filter((phase2) => checkQuorums(3, { size: phase1 }, { size: phase2 }).ok === true)
          .map((phase2) => ({
            label: `quorums ${phase1} and ${phase2}`,
            options: { protocol: "multi-paxos" as const, nodeOptions: { quorums: { phase1, phase2 } }, depth: 3, drops: 0, timers: 0, requests: 1, lifetime: 0 },
            start: multiPaxosTakeover(phase1, phase2),
          })),
      ),
  },
});
