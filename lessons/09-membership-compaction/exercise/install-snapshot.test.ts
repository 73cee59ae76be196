// Graded suite for exercise 9: the InstallSnapshot receiver alone (Figure 13, §7) and with compaction under faults.

import type { InstallSnapshot } from "@course/raft";
import { gradedSuite } from "../../grading/graded.js";
import { expectRule } from "../../grading/failure.js";
import { logOf } from "../../grading/raft-fixtures.js";
import { runRaft } from "../../grading/clusters/raft.js";
import { installSnapshotExercise } from "./exercise.js";

const RULE = "Figure 13, InstallSnapshot receiver (§7): ignore what is already committed; keep the log after a matching last entry, else discard it";
const snap = (lastIncludedIndex: number, lastIncludedTerm: number): InstallSnapshot =>
  Object.freeze({ type: "InstallSnapshot", term: 5, leaderId: 1, snapshot: Object.freeze({ lastIncludedIndex, lastIncludedTerm, members: [1, 2, 3], state: {} }) });
const follower = (commitIndex: number, terms: number[], snapshot?: { index: number; term: number }) => Object.freeze({ commitIndex, log: logOf(terms, snapshot) });
const input = (f: ReturnType<typeof follower>, r: InstallSnapshot) => ({ follower: f, snapshot: { lastIncludedIndex: r.snapshot.lastIncludedIndex, lastIncludedTerm: r.snapshot.lastIncludedTerm } });

gradedSuite(installSnapshotExercise, (g) => {
  g.unit(2, "§7: a snapshot that ends before the commit index is ignored", ({ handleInstallSnapshot }) => {
    const f = follower(6, [1, 1, 2, 2, 3, 3]);
    const r = snap(4, 2);
    expectRule({ rule: RULE, input: input(f, r), hint: "installing it would roll the state machine back past entries already applied" }, handleInstallSnapshot(f, r), { action: "ignore" });
  });

  g.unit(1, "§7: a snapshot that ends exactly at the commit index is ignored", ({ handleInstallSnapshot }) => {
    const f = follower(4, [1, 1, 2, 2, 3]);
    const r = snap(4, 2);
    expectRule({ rule: RULE, input: input(f, r) }, handleInstallSnapshot(f, r), { action: "ignore" });
  });

  g.unit(2, "step 7: a snapshot past the end of the log replaces the whole log", ({ handleInstallSnapshot }) => {
    const f = follower(1, [1, 1]);
    const r = snap(9, 3);
    expectRule({ rule: RULE, input: input(f, r) }, handleInstallSnapshot(f, r), { action: "install", retainLog: false });
  });

  g.unit(3, "step 6: the log agrees at lastIncludedIndex: install and keep the entries after it", ({ handleInstallSnapshot }) => {
    const f = follower(2, [1, 1, 2, 2, 3, 3]);
    const r = snap(4, 2);
    expectRule(
      { rule: RULE, input: input(f, r), hint: "entries 5-6 may have been acknowledged to the leader and counted toward commit: keep them" },
      handleInstallSnapshot(f, r),
      { action: "install", retainLog: true },
    );
  });

  g.unit(3, "step 7: the log has another term at lastIncludedIndex: discard it", ({ handleInstallSnapshot }) => {
    const f = follower(2, [1, 1, 2, 2, 2, 2]);
    const r = snap(5, 3);
    expectRule({ rule: RULE, input: input(f, r), hint: "entry 5 conflicts with the snapshot, so every entry after it came from a different leader" }, handleInstallSnapshot(f, r), { action: "install", retainLog: false });
  });

  g.unit(3, "index offset: with an earlier snapshot, entries are found by Raft index, not array position", ({ handleInstallSnapshot }) => {
    // Snapshot up to 10 (term 2), then entries 11-15.
    const f = follower(10, [2, 3, 3, 4, 4], { index: 10, term: 2 });
    const r = snap(13, 3);
    expectRule({ rule: RULE, input: input(f, r), hint: "use log.termAt(lastIncludedIndex): entry 13 is the third entry after the old snapshot" }, handleInstallSnapshot(f, r), { action: "install", retainLog: true });
  });

  g.unit(2, "index offset: a mismatch after an earlier snapshot discards the log", ({ handleInstallSnapshot }) => {
    const f = follower(10, [2, 3, 3, 4, 4], { index: 10, term: 2 });
    const r = snap(14, 5);
    expectRule({ rule: RULE, input: input(f, r) }, handleInstallSnapshot(f, r), { action: "install", retainLog: false });
  });

  g.unit(1, "a snapshot that does not go past the server's own snapshot is ignored", ({ handleInstallSnapshot }) => {
    const f = follower(8, [3, 3], { index: 8, term: 3 });
    const r = snap(7, 3);
    expectRule({ rule: RULE, input: input(f, r) }, handleInstallSnapshot(f, r), { action: "ignore" });
  });

  g.simulation(6, "frequent snapshots while servers crash and lag: lagging servers catch up and nothing is lost", {
    protocol: "raft",
    seeds: 30,
    hint: "find the InstallSnapshot the lagging server received last: did its log hold the snapshot's last entry (same index and term)? Then the entries after it must be kept; otherwise all of it must go",
    run: (impl, run) => runRaft(run, { raft: { rules: impl, snapshotEvery: 4 }, rates: { crash: 1.2, partition: 0.8, pause: 0.4, lossy: 0.3 }, clients: 3 }),
  });

  g.simulation(4, "long partitions and snapshots: divergent followers are replaced by the leader's snapshot", {
    protocol: "raft",
    seeds: 20,
    hint: "keep the log after the snapshot exactly when its entry at lastIncludedIndex has lastIncludedTerm: a matching suffix may hold entries the leader counted, a mismatching one (say, from a leader in a minority partition) holds entries nobody else has",
    run: (impl, run) => runRaft(run, { raft: { rules: impl, snapshotEvery: 3 }, rates: { partition: 1.5, crash: 0.5 }, duplicate: 0.1, maxLatency: 30 }),
  });
  g.exhaustive(4, "exhaustive search: a snapshot reaches a follower whose log runs past it; every order of the next 6 steps with 1 crash and 1 timer");
});
