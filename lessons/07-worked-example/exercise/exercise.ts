// Exercise 7 (Raft leader's follower bookkeeping): the reference it is graded against, the classic mistakes it must catch and the exhaustive search that hunts them.

import { handleAppendEntriesReply } from "@course/raft";
import { defineExercise } from "../../grading/exercise.js";
import { checkFields } from "../../grading/shapes.js";
import { RAFT_LEADER_WITH_WRITE, RAFT_STALE_FOLLOWER_TOO_SHORT } from "../../grading/clusters/search-starts.js";

type ReplyRules = { handleAppendEntriesReply: typeof handleAppendEntriesReply };

export const leaderProgressExercise = defineExercise<ReplyRules>({
  lesson: 7,
  folder: "07-worked-example",
  id: "leader-progress",
  title: "Raft: the leader's nextIndex and matchIndex",
  stubFile: "07-worked-example/exercise/leader-progress.ts",
  functions: ["handleAppendEntriesReply"],
  loadStudent: () => import("./leader-progress.js"),
  reference: { handleAppendEntriesReply },
  checkResult: {
    handleAppendEntriesReply: (r) => {
      const problem = checkFields({ nextIndex: "number", matchIndex: "number" })(r);
      if (problem !== undefined) return problem;
      const p = r as { nextIndex: number; matchIndex: number };
      return Number.isInteger(p.nextIndex) && p.nextIndex >= 1 ? undefined : "nextIndex must be a whole number >= 1 (log indices start at 1)";
    },
  },
  mutants: {
    "optimistic-match": {
      searchFinds: true,
      description: "on a rejection the leader assumes the follower holds everything before the conflict and raises matchIndex, so it counts entries the follower does not have",
      functions: {
        handleAppendEntriesReply: (progress, log, reply) => {
          const next = handleAppendEntriesReply(progress, log, reply);
          return reply.success ? next : { nextIndex: next.nextIndex, matchIndex: Math.max(progress.matchIndex, next.nextIndex - 1) };
        },
      },
    },
    "never-back-up": {
      searchFinds: true,
      description: "a rejection leaves nextIndex where it was, so a follower whose log diverged is never repaired",
      functions: { handleAppendEntriesReply: (progress, log, reply) => (reply.success ? handleAppendEntriesReply(progress, log, reply) : progress) },
    },
    "resume-past-conflict": {
      searchFinds: true,
      description: "after a rejection the leader resumes one entry past the follower's conflictIndex, so the check fails again and again",
      functions: {
        handleAppendEntriesReply: (progress, log, reply) => {
          if (reply.success || reply.conflictIndex === undefined) return handleAppendEntriesReply(progress, log, reply);
          return { matchIndex: progress.matchIndex, nextIndex: Math.max(progress.matchIndex + 1, reply.conflictIndex + 1) };
        },
      },
    },
    "no-clamp-to-match": {
      description: "the new nextIndex is not clamped at matchIndex + 1: a late rejection sends it below acknowledged entries, and at nextIndex 1 without a hint it reaches 0",
      functions: {
        handleAppendEntriesReply: (progress, log, reply) => {
          if (reply.success) return handleAppendEntriesReply(progress, log, reply);
          const next = reply.conflictTerm === undefined ? (reply.conflictIndex ?? progress.nextIndex - 1) : handleAppendEntriesReply({ nextIndex: progress.nextIndex, matchIndex: 0 }, log, reply).nextIndex;
          return { matchIndex: progress.matchIndex, nextIndex: Math.min(next, progress.nextIndex) };
        },
      },
    },
    "match-index-goes-back": {
      description: "a late success reply lowers matchIndex and nextIndex to what it reports",
      functions: {
        handleAppendEntriesReply: (progress, log, reply) => (reply.success ? { matchIndex: reply.matchIndex, nextIndex: reply.matchIndex + 1 } : handleAppendEntriesReply(progress, log, reply)),
      },
    },
  },
  search: {
    hint: "a fault-free run that never repairs one follower: what does the leader do with its rejection? A leader that commits what a follower lacks: what does a rejection say about the entries before the conflict?",
    searches: (impl) => [
      { label: "a lost message, then every fault-free run", options: { protocol: "raft", rules: impl, depth: 3, drops: 1, timers: 0, crashes: 0, requests: 0, lifetime: 0, liveness: { within: 3000, tries: 1 } }, start: RAFT_LEADER_WITH_WRITE },
      // A refusal says where the follower's log ends, not that what comes before matches: matchIndex must not trust it.
      { label: "a follower with conflicting entries refuses as too short", options: { protocol: "raft", rules: impl, depth: 5, drops: 0, timers: 1, crashes: 0, requests: 0, lifetime: 0 }, start: RAFT_STALE_FOLLOWER_TOO_SHORT },
    ],
  },
});
