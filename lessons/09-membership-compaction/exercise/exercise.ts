// Exercise 9 (Raft InstallSnapshot receiver): the reference it is graded against, the classic mistakes it must catch and the exhaustive search that hunts them.

import { handleInstallSnapshot } from "@course/raft";
import { defineExercise } from "../../grading/exercise.js";
import { RAFT_SNAPSHOT_TO_LONGER_LOG } from "../../grading/clusters/search-starts.js";

type SnapshotRules = { handleInstallSnapshot: typeof handleInstallSnapshot };

export const installSnapshotExercise = defineExercise<SnapshotRules>({
  lesson: 9,
  folder: "09-membership-compaction",
  id: "install-snapshot",
  title: "Raft: installing a snapshot",
  stubFile: "09-membership-compaction/exercise/install-snapshot.ts",
  functions: ["handleInstallSnapshot"],
  loadStudent: () => import("./install-snapshot.js"),
  reference: { handleInstallSnapshot },
  checkResult: {
    handleInstallSnapshot: (r) => {
      const d = r as { action?: unknown; retainLog?: unknown } | null;
      if (typeof d !== "object" || d === null) return 'it must return { action: "ignore" } or { action: "install", retainLog }';
      if (d.action === "ignore") return undefined;
      if (d.action !== "install") return 'action must be "ignore" or "install"';
      return typeof d.retainLog === "boolean" ? undefined : "an install decision needs retainLog: true or false";
    },
  },
  mutants: {
    "install-stale-snapshot": {
      searchFinds: true,
      description: "installs every snapshot, even one older than the commit index, rolling the state machine back",
      functions: {
        handleInstallSnapshot: (follower, req) => ({ action: "install", retainLog: follower.log.termAt(req.snapshot.lastIncludedIndex) === req.snapshot.lastIncludedTerm }),
      },
    },
    "always-discard-log": {
      searchFinds: true,
      description: "discards the whole log on every install, losing entries after the snapshot that the leader already counted",
      functions: { handleInstallSnapshot: (follower, req) => (handleInstallSnapshot(follower, req).action === "ignore" ? { action: "ignore" } : { action: "install", retainLog: false }) },
    },
    "always-retain-log": {
      description: "keeps the log after the snapshot even when the entry at lastIncludedIndex has another term, so conflicting entries survive",
      functions: { handleInstallSnapshot: (follower, req) => (handleInstallSnapshot(follower, req).action === "ignore" ? { action: "ignore" } : { action: "install", retainLog: true }) },
    },
    "array-position": {
      description: "looks the entry up at lastIncludedIndex - snapshotIndex (a position after the old snapshot) instead of its Raft index",
      functions: {
        handleInstallSnapshot: (follower, req) => {
          const d = handleInstallSnapshot(follower, req);
          return d.action === "ignore" ? d : { action: "install", retainLog: follower.log.termAt(req.snapshot.lastIncludedIndex - follower.log.snapshotIndex) === req.snapshot.lastIncludedTerm };
        },
      },
    },
    "ignore-if-log-is-longer": {
      description: "ignores a snapshot whenever the log already reaches its last index, without checking the term or the commit index",
      functions: {
        handleInstallSnapshot: (follower, req) => (req.snapshot.lastIncludedIndex <= follower.log.lastIndex ? { action: "ignore" } : handleInstallSnapshot(follower, req)),
      },
    },
  },
  search: {
    hint: "the follower already holds entry 3, which the leader counts once it hears the acknowledgment: may installing a snapshot of entries 1 and 2 throw entry 3 away when the follower's entry 2 matches the snapshot? And may a snapshot older than what the follower has committed roll it back?",
    searches: (impl) => [{ options: { protocol: "raft", rules: impl, nodeOptions: { snapshotEvery: 2 }, depth: 6, drops: 0, duplicates: 0, timers: 1, crashes: 1, requests: 0, lifetime: 0 }, start: RAFT_SNAPSHOT_TO_LONGER_LOG }],
  },
});
