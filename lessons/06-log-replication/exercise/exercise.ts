// Exercise 6 (Raft AppendEntries receiver): the reference it is graded against, the classic mistakes it must catch and the exhaustive search that hunts them.

import { appendCheckingOnlyLength, commitIndexFromLeaderVerbatim, handleAppendEntries } from "@course/raft";
import { defineExercise } from "../../grading/exercise.js";
import { checkFields } from "../../grading/shapes.js";
import { RAFT_ACKED_THEN_LATE_COPY, RAFT_CATCH_UP_ONE_ENTRY_AT_A_TIME, RAFT_COMMITTED_THEN_HEARTBEAT, RAFT_LEADER_WITH_WRITE } from "../../grading/clusters/search-starts.js";

type AppendRules = { handleAppendEntries: typeof handleAppendEntries };

export const appendEntriesExercise = defineExercise<AppendRules>({
  lesson: 6,
  folder: "06-log-replication",
  id: "append-entries",
  title: "Raft: the AppendEntries handler",
  stubFile: "06-log-replication/exercise/append-entries.ts",
  functions: ["handleAppendEntries"],
  loadStudent: () => import("./append-entries.js"),
  reference: { handleAppendEntries },
  checkResult: { handleAppendEntries: checkFields({ success: "boolean", append: "array", commitIndex: "number", matchIndex: "number", truncateFrom: "number|undefined" }) },
  mutants: {
    "append-checking-only-length": {
      description: "the consistency check only looks for an entry at prevLogIndex, not at its term, so logs diverge under matching-looking prefixes",
      functions: { handleAppendEntries: appendCheckingOnlyLength },
    },
    "commit-index-from-leader-verbatim": {
      searchFinds: true,
      description: "takes min(leaderCommit, matchIndex) as is, so a delayed older message moves the commit index backwards",
      functions: { handleAppendEntries: commitIndexFromLeaderVerbatim },
    },
    "commit-beyond-verified-entries": {
      description: "sets commitIndex to leaderCommit without capping it at the last entry this message verified, committing entries the leader never checked",
      functions: {
        handleAppendEntries: (follower, req) => {
          const d = handleAppendEntries(follower, req);
          return d.success ? { ...d, commitIndex: Math.max(d.commitIndex, Math.min(req.leaderCommit, Math.max(follower.log.lastIndex, d.matchIndex))) } : d;
        },
      },
    },
    "commit-to-last-log-index": {
      description: "commitIndex = min(leaderCommit, last index of the log) instead of the last new entry, committing entries past the message the leader never checked",
      functions: {
        handleAppendEntries: (follower, req) => {
          const d = handleAppendEntries(follower, req);
          const last = d.truncateFrom === undefined ? Math.max(follower.log.lastIndex, d.matchIndex) : d.matchIndex;
          return d.success && req.leaderCommit > follower.commitIndex ? { ...d, commitIndex: Math.min(req.leaderCommit, last) } : d;
        },
      },
    },
    "literal-step-five": {
      searchFinds: true,
      description: "if leaderCommit > commitIndex sets commitIndex = min(leaderCommit, last new entry) even when that is lower, so a short message moves the commit index back",
      functions: {
        handleAppendEntries: (follower, req) => {
          const d = handleAppendEntries(follower, req);
          return d.success && req.leaderCommit > follower.commitIndex ? { ...d, commitIndex: Math.min(req.leaderCommit, d.matchIndex) } : d;
        },
      },
    },
    "hint-past-prev-index": {
      searchFinds: true,
      description: "a refusal for a log that is too short hints conflictIndex = prevLogIndex + 1, so the leader never moves back",
      functions: {
        handleAppendEntries: (follower, req) => {
          const d = handleAppendEntries(follower, req);
          return !d.success && d.conflictTerm === undefined && d.conflictIndex !== undefined ? { ...d, conflictIndex: req.prevLogIndex + 1 } : d;
        },
      },
    },
    "always-truncate": {
      searchFinds: true,
      description: "deletes everything after prevLogIndex on every message, so a delayed older message erases newer entries the follower already acknowledged",
      functions: {
        handleAppendEntries: (follower, req) => {
          const d = handleAppendEntries(follower, req);
          if (!d.success || req.prevLogIndex >= follower.log.lastIndex) return d;
          return { ...d, truncateFrom: req.prevLogIndex + 1, append: req.entries.filter((e) => e.index > follower.log.snapshotIndex) };
        },
      },
    },
    "accept-stale-leader": {
      description: "forgets step 1 and accepts entries from a deposed leader of an older term",
      functions: {
        handleAppendEntries: (follower, req) => handleAppendEntries({ ...follower, currentTerm: Math.min(follower.currentTerm, req.term) }, req),
      },
    },
  },
  search: {
    hint: "an old AppendEntries can arrive after a newer one, or twice: can it lower what the follower already knows is committed, or erase entries it acknowledged? And a follower that refuses must tell the leader where to go back to.",
    searches: (impl) => [
      { label: "a delayed copy after a heartbeat", options: { protocol: "raft", rules: impl, depth: 4, drops: 0, duplicates: 1, timers: 0, crashes: 0, requests: 0, lifetime: 0 }, start: RAFT_COMMITTED_THEN_HEARTBEAT },
      { label: "a delayed copy after acknowledged entries, then an election", options: { protocol: "raft", rules: impl, depth: 6, drops: 0, duplicates: 0, timers: 1, crashes: 0, requests: 0, lifetime: 0 }, start: RAFT_ACKED_THEN_LATE_COPY },
      // A short message can carry a leaderCommit beyond its own last entry: it must not lower the commit index.
      { label: "a lagging follower caught up one entry at a time, with a delayed copy", options: { protocol: "raft", rules: impl, nodeOptions: { maxEntriesPerMessage: 1 }, depth: 5, drops: 0, duplicates: 1, timers: 0, crashes: 0, requests: 0, lifetime: 0 }, start: RAFT_CATCH_UP_ONE_ENTRY_AT_A_TIME },
      // A follower that never catches up breaks no safety property: this search checks that every fault-free run repairs it.
      { label: "a lost message, then every fault-free run", options: { protocol: "raft", rules: impl, depth: 3, drops: 1, timers: 0, crashes: 0, requests: 0, lifetime: 0, liveness: { within: 3000, tries: 1 } }, start: RAFT_LEADER_WITH_WRITE },
    ],
  },
});
