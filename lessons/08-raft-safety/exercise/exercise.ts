// Exercise 8 (Raft safety: commit rule and persistence): the reference, the classic mistakes it must catch and the exhaustive search that hunts them.

import { advanceCommitIndex, commitByCountingAnyTerm, forgetVotedFor, persistenceDecision, skipLogPersistence, type RaftRules } from "@course/raft";
import { defineExercise } from "../../grading/exercise.js";
import { checkType } from "../../grading/shapes.js";
import { RAFT_LEADER_WITH_WRITE, RAFT_SEVEN_SERVERS_THREE_HOLD } from "../../grading/clusters/search-starts.js";

export type SafetyRules = { advanceCommitIndex: typeof advanceCommitIndex; persistenceDecision: typeof persistenceDecision };

/** The node hands the rule its whole self; the exercise promises only currentTerm and votedFor, so pass just those. */
export function plugged(impl: { advanceCommitIndex: SafetyRules["advanceCommitIndex"]; persistenceDecision: SafetyRules["persistenceDecision"] }): Partial<RaftRules> {
  return { advanceCommitIndex: impl.advanceCommitIndex, persistenceDecision: (s) => impl.persistenceDecision({ currentTerm: s.currentTerm, votedFor: s.votedFor }) };
}

export const safetyExercise = defineExercise<SafetyRules>({
  lesson: 8,
  folder: "08-raft-safety",
  id: "safety",
  title: "Raft safety: the commit rule and persistence",
  stubFile: "08-raft-safety/exercise/safety.ts",
  functions: ["advanceCommitIndex", "persistenceDecision"],
  loadStudent: () => import("./safety.js"),
  reference: { advanceCommitIndex, persistenceDecision },
  checkResult: {
    advanceCommitIndex: (r) => checkType("number")(r) ?? (Number.isInteger(r) && (r as number) >= 0 ? undefined : "it must return a whole number >= 0"),
    persistenceDecision: (r) => {
      const d = r as { hardState?: { currentTerm?: unknown }; persistLog?: unknown } | null;
      if (typeof d !== "object" || d === null || typeof d.hardState !== "object" || d.hardState === null) return "it must return { hardState: { currentTerm, votedFor }, persistLog }";
      if (typeof d.hardState.currentTerm !== "number") return "hardState.currentTerm must be a number";
      return typeof d.persistLog === "boolean" ? undefined : "persistLog must be true or false";
    },
  },
  mutants: {
    "commit-old-term-by-counting": {
      description: "the naive rule of Figure 8: counts replicas of an entry of any term, so an old-term entry can be committed and later overwritten",
      functions: { advanceCommitIndex: commitByCountingAnyTerm },
    },
    "forget-voted-for": { description: "writes currentTerm but not votedFor: after a crash a server may vote twice in one term", functions: { persistenceDecision: forgetVotedFor } },
    "skip-log-persistence": { searchFinds: true, description: "acknowledges entries without writing them: a crash forgets entries the leader counted toward commit", functions: { persistenceDecision: skipLogPersistence } },
    "majority-of-three": {
      searchFinds: true,
      description: "commits once three servers hold an entry, a majority written for five: too few for seven, too many for three",
      functions: {
        advanceCommitIndex: (leader) => {
          for (let n = leader.log.lastIndex; n > leader.commitIndex; n--) {
            if (leader.log.termAt(n) === leader.currentTerm && leader.members.filter((m) => leader.matchIndex(m) >= n).length >= 3) return n;
          }
          return leader.commitIndex;
        },
      },
    },
    "last-entry-term": {
      description: "checks that the last entry of the log is of the current term instead of entry N, so an old-term entry on a majority is committed by counting",
      functions: { advanceCommitIndex: (leader) => (leader.log.lastTerm === leader.currentTerm ? commitByCountingAnyTerm(leader) : leader.commitIndex) },
    },
    "commit-on-leader-alone": {
      searchFinds: true,
      description: "the leader commits its current-term entries as soon as it has them, without waiting for a majority",
      functions: { advanceCommitIndex: (leader) => (leader.log.lastTerm === leader.currentTerm ? Math.max(leader.commitIndex, leader.log.lastIndex) : leader.commitIndex) },
    },
  },
  search: {
    hint: "a write a client saw applied must survive any one crash and any new leader: was it on a majority of disks (of all the servers) when the leader committed it?",
    searches: (impl) => [
      { label: "a new leader with one write", options: { protocol: "raft", rules: plugged(impl), depth: 4, drops: 0, timers: 0, crashes: 1, requests: 0, lifetime: 0 }, start: RAFT_LEADER_WITH_WRITE },
      // Seven servers: a count that is a majority of five shows only with more.
      { label: "7 servers, 3 hold a write", options: { protocol: "raft", rules: plugged(impl), nodes: 7, depth: 4, drops: 0, timers: 0, crashes: 0, requests: 0, lifetime: 0 }, start: RAFT_SEVEN_SERVERS_THREE_HOLD },
    ],
  },
});
