// Ground truth for quorum-system verdicts, by brute force over every set of nodes, and a check of any verdict against it.

import type { QuorumSystem } from "@course/paxos";

/** The largest cluster the oracle enumerates (2^n sets). */
export const ORACLE_MAX_NODES = 12;

/** Every set of nodes 0..n-1, as a bit mask. */
function allMasks(nodes: number): number[] {
  if (!Number.isInteger(nodes) || nodes < 1 || nodes > ORACLE_MAX_NODES) throw new Error(`oracle: cluster size must be 1 to ${ORACLE_MAX_NODES}, got ${nodes}`);
  return Array.from({ length: 2 ** nodes }, (_, mask) => mask);
}

const maskOf = (set: readonly number[]): number => set.reduce((m, id) => m | (1 << id), 0);
const members = (mask: number): number => mask.toString(2).split("").filter((b) => b === "1").length;

/** Is the set of nodes `mask` a quorum of `system`: at least `size` nodes, or a superset of a listed set. */
function isQuorumMask(system: QuorumSystem, mask: number): boolean {
  if ("size" in system) return members(mask) >= system.size;
  return system.sets.some((set) => (maskOf(set) & ~mask) === 0);
}

export interface Truth {
  /** Which phases have no quorum at all. */
  readonly noQuorum: readonly (1 | 2)[];
  /** A phase-1 quorum and a phase-2 quorum with nothing in common exist. */
  readonly disjoint: boolean;
}

export function truthOf(nodes: number, phase1: QuorumSystem, phase2: QuorumSystem): Truth {
  const masks = allMasks(nodes);
  const q1 = masks.filter((m) => isQuorumMask(phase1, m));
  const q2 = masks.filter((m) => isQuorumMask(phase2, m));
  const noQuorum = ([1, 2] as const).filter((p) => (p === 1 ? q1 : q2).length === 0);
  const disjoint = q1.some((a) => q2.some((b) => (a & b) === 0));
  return { noQuorum, disjoint };
}

/** The verdict a correct function returns, in words, for failure messages. */
export function expectedVerdict(truth: Truth): string {
  if (truth.noQuorum.length === 2) return `{ ok: false, reason: "no-quorum", phase: 1 } (or phase: 2: neither system has a quorum)`;
  const phase = truth.noQuorum[0];
  if (phase !== undefined) return `{ ok: false, reason: "no-quorum", phase: ${phase} }`;
  return truth.disjoint ? `{ ok: false, reason: "disjoint", phase1: <a phase-1 quorum>, phase2: <a phase-2 quorum with no node in common> }` : "{ ok: true }";
}

/** Is `set` a quorum of `system` in a cluster of `nodes`: whole node ids 0..n-1 (a repeated id counts once). */
function quorumProblem(nodes: number, system: QuorumSystem, set: unknown, name: string): string | undefined {
  if (!Array.isArray(set) || !set.every((id) => Number.isInteger(id) && id >= 0 && id < nodes)) return `\`${name}\` must be an array of node ids from 0 to ${nodes - 1}`;
  if (!isQuorumMask(system, maskOf(set as number[]))) {
    return "size" in system
      ? `\`${name}\` has ${members(maskOf(set as number[]))} distinct nodes, fewer than the ${system.size} a quorum of this phase needs`
      : `\`${name}\` contains none of the listed sets of this phase, so it is not one of its quorums`;
  }
  return undefined;
}

/**
 * Why `got` is not a correct verdict on these systems, or undefined when it is. Any correct verdict passes: a
 * `disjoint` verdict may name any phase-1 quorum and any phase-2 quorum that share no node.
 */
export function verdictProblem(nodes: number, phase1: QuorumSystem, phase2: QuorumSystem, got: unknown): string | undefined {
  const truth = truthOf(nodes, phase1, phase2);
  const v = got as { ok?: unknown; reason?: unknown; phase?: unknown; phase1?: unknown; phase2?: unknown } | null;
  if (typeof v !== "object" || v === null) return "the verdict must be an object";
  if (truth.noQuorum.length > 0) {
    if (v.ok === false && v.reason === "no-quorum" && truth.noQuorum.includes(v.phase as 1 | 2)) return undefined;
    return `phase ${truth.noQuorum.join(" and phase ")} ${truth.noQuorum.length === 1 ? "has" : "have"} no quorum at all: no set of these ${nodes} nodes ever completes ${truth.noQuorum.length === 1 ? "it" : "them"}`;
  }
  if (!truth.disjoint) return v.ok === true ? undefined : "every phase-1 quorum shares a node with every phase-2 quorum, so the pair is safe";
  if (v.ok !== false || v.reason !== "disjoint") return "some phase-1 quorum and some phase-2 quorum have no node in common";
  const problem = quorumProblem(nodes, phase1, v.phase1, "phase1") ?? quorumProblem(nodes, phase2, v.phase2, "phase2");
  if (problem !== undefined) return problem;
  const shared = (v.phase1 as number[]).filter((id) => (v.phase2 as number[]).includes(id));
  return shared.length === 0 ? undefined : `the two quorums named share node${shared.length > 1 ? "s" : ""} ${[...new Set(shared)].join(", ")}: they are no evidence`;
}
