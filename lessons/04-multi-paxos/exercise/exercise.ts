// Exercise 4 (Multi-Paxos leader takeover): the reference it is graded against, the classic mistakes it must catch and the exhaustive search that hunts them.

import { compareBallots, mergePhase1, multiPaxosMutants, type Command, type SlotAccepted } from "@course/paxos";
import { defineExercise } from "../../grading/exercise.js";
import { MULTI_PAXOS_GAP, MULTI_PAXOS_NEW_LEADER, MULTI_PAXOS_NEW_LEADER_GETS_COMMAND, MULTI_PAXOS_THIRD_LEADER } from "../../grading/clusters/search-starts.js";

type MergeRules = { mergePhase1: typeof mergePhase1 };

/** The merge with one thing changed, for the mutants: which proposal wins a slot, what fills a gap, where the search for the top slot starts. */
function mergeWith(pick: (seen: SlotAccepted, candidate: SlotAccepted) => boolean, fill: "no-op" | "none" | "previous", nextOffset: number, topFrom?: number): typeof mergePhase1 {
  return (promises, fromSlot) => {
    const best = new Map<number, SlotAccepted>();
    let top = topFrom ?? fromSlot - 1;
    for (const p of promises) {
      for (const [slot, acc] of p.accepted) {
        if (slot < fromSlot) continue;
        top = Math.max(top, slot);
        const seen = best.get(slot);
        if (seen === undefined || pick(seen, acc)) best.set(slot, acc);
      }
    }
    const proposals: Array<readonly [number, Command]> = [];
    let previous: Command = null;
    for (let slot = fromSlot; slot <= top; slot++) {
      const v = best.get(slot);
      if (v !== undefined) proposals.push([slot, (previous = v.v)]);
      else if (fill !== "none") proposals.push([slot, fill === "previous" ? previous : null]);
    }
    return { proposals, nextSlot: top + 1 + nextOffset };
  };
}

const higher = (seen: SlotAccepted, candidate: SlotAccepted) => compareBallots(candidate.n, seen.n) > 0;

export const mergeExercise = defineExercise<MergeRules>({
  lesson: 4,
  folder: "04-multi-paxos",
  id: "merge",
  title: "Multi-Paxos: a new leader's merge of phase-1 replies",
  stubFile: "04-multi-paxos/exercise/merge.ts",
  functions: ["mergePhase1"],
  loadStudent: () => import("./merge.js"),
  reference: { mergePhase1 },
  checkResult: {
    mergePhase1: (r) => {
      const m = r as { proposals?: unknown; nextSlot?: unknown } | null;
      if (typeof m !== "object" || m === null) return "it must return an object { proposals, nextSlot }";
      const isValue = (v: unknown) => v === null || (typeof v === "object" && typeof (v as { op?: unknown }).op === "string");
      if (!Array.isArray(m.proposals) || !m.proposals.every((p) => Array.isArray(p) && p.length === 2 && typeof p[0] === "number" && isValue(p[1]))) {
        return "`proposals` must be an array of [slot, value] pairs (value a command taken from a promise, or null for a no-op)";
      }
      return typeof m.nextSlot === "number" && Number.isInteger(m.nextSlot) ? undefined : "`nextSlot` must be a whole number";
    },
  },
  mutants: {
    "no-op-everything": { searchFinds: true, description: multiPaxosMutants.noOpEverything.description, functions: { mergePhase1: multiPaxosMutants.noOpEverything.rules.mergePhase1 } },
    "adopt-lowest-per-slot": {
      searchFinds: true,
      description: "for each slot the leader re-proposes the lowest-numbered accepted value instead of the highest",
      functions: { mergePhase1: mergeWith((seen, candidate) => compareBallots(candidate.n, seen.n) < 0, "no-op", 0) },
    },
    "leave-gaps": {
      searchFinds: true,
      description: "slots nobody reported are left empty instead of being filled with no-ops, so the log has a hole forever",
      functions: { mergePhase1: mergeWith(higher, "none", 0) },
    },
    "next-slot-overlaps": {
      searchFinds: true,
      description: "the first free slot is computed one too low, so a new command lands on a slot being re-proposed",
      functions: { mergePhase1: mergeWith(higher, "no-op", -1) },
    },
    "top-from-zero": {
      description: "looks for the highest slot starting at 0 instead of just below fromSlot, so with nothing reported from fromSlot on, new commands go into slots already decided",
      functions: { mergePhase1: mergeWith(higher, "no-op", 0, 0) },
    },
    "fill-gap-with-previous": {
      description: "fills a slot nobody reported with the previous slot's command instead of a no-op, so one command is chosen in two slots",
      functions: { mergePhase1: mergeWith(higher, "previous", 0) },
    },
  },
  search: {
    hint: "node 1's promise reports the command it accepted in its slot: what must the merged log hold in that slot?",
    searches: (impl) => [
      { label: "a new leader after a chosen command", options: { protocol: "multi-paxos", rules: impl, depth: 4, drops: 0, timers: 0, requests: 0, lifetime: 0 }, start: MULTI_PAXOS_NEW_LEADER },
      { label: "a new leader's first command", options: { protocol: "multi-paxos", rules: impl, depth: 4, drops: 0, timers: 0, requests: 0, lifetime: 0 }, start: MULTI_PAXOS_NEW_LEADER_GETS_COMMAND },
      { label: "a third leader sees two proposals for one slot", options: { protocol: "multi-paxos", rules: impl, depth: 4, drops: 0, timers: 0, requests: 0, lifetime: 0 }, start: MULTI_PAXOS_THIRD_LEADER },
      // A slot left open forever stops every later slot from running: a liveness failure, so this search checks liveness.
      { label: "a slot nobody reported", options: { protocol: "multi-paxos", rules: impl, depth: 2, drops: 0, timers: 0, requests: 0, lifetime: 0, liveness: true }, start: MULTI_PAXOS_GAP },
    ],
  },
});
