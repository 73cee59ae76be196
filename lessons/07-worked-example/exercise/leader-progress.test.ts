// Graded suite for exercise 7: the leader's bookkeeping per follower, alone and repairing divergent followers under faults.

import type { AppendEntriesReply, PeerProgress } from "@course/raft";
import { gradedSuite } from "../../grading/graded.js";
import { expectRule } from "../../grading/failure.js";
import { logOf } from "../../grading/raft-fixtures.js";
import { runRaft } from "../../grading/clusters/raft.js";
import { leaderProgressExercise } from "./exercise.js";

const progress = (nextIndex: number, matchIndex: number): PeerProgress => Object.freeze({ nextIndex, matchIndex });
const ok = (matchIndex: number): AppendEntriesReply => Object.freeze({ type: "AppendEntriesReply", term: 5, success: true, matchIndex, appended: 1 });
const no = (hints: { conflictIndex?: number; conflictTerm?: number } = {}): AppendEntriesReply => Object.freeze({ type: "AppendEntriesReply", term: 5, success: false, matchIndex: 0, appended: 0, ...hints });
const SUCCESS = "Figure 2, rules for leaders: on success, update matchIndex and nextIndex for the follower";
const BACKUP = "Figure 2, rules for leaders, with fast log backup (sketched at the end of the paper's §5.3; leader side as in MIT 6.5840): on a failed consistency check, move nextIndex back and retry";
// The leader's log in the paper's Figure 7 style: terms by index 1..10.
const LEADER = logOf([1, 1, 1, 4, 4, 5, 5, 6, 6, 6]);

gradedSuite(leaderProgressExercise, (g) => {
  g.unit(2, "success: matchIndex and nextIndex follow the reply", ({ handleAppendEntriesReply }) => {
    const p = progress(6, 3);
    expectRule({ rule: SUCCESS, input: { progress: p, leaderLog: LEADER, reply: ok(8) } }, handleAppendEntriesReply(p, LEADER, ok(8)), { nextIndex: 9, matchIndex: 8 });
  });

  g.unit(3, "success: a late, older reply never lowers matchIndex or nextIndex", ({ handleAppendEntriesReply }) => {
    const p = progress(9, 8);
    expectRule(
      { rule: SUCCESS, input: { progress: p, leaderLog: LEADER, reply: ok(5) }, hint: "replies can be reordered or duplicated; what the follower is known to hold only grows" },
      handleAppendEntriesReply(p, LEADER, ok(5)),
      { nextIndex: 9, matchIndex: 8 },
    );
  });

  g.unit(2, "failure without hints: step back one entry", ({ handleAppendEntriesReply }) => {
    const p = progress(7, 0);
    expectRule({ rule: BACKUP, input: { progress: p, leaderLog: LEADER, reply: no() } }, handleAppendEntriesReply(p, LEADER, no()), { nextIndex: 6, matchIndex: 0 });
  });

  g.unit(1, "failure without hints at nextIndex 1: stay at 1, the first entry", ({ handleAppendEntriesReply }) => {
    const p = progress(1, 0);
    expectRule({ rule: BACKUP, input: { progress: p, leaderLog: LEADER, reply: no() }, hint: "log indices start at 1: there is nothing before entry 1 to step back to" }, handleAppendEntriesReply(p, LEADER, no()), { nextIndex: 1, matchIndex: 0 });
  });

  g.unit(2, "failure, follower log too short: resume at its conflictIndex", ({ handleAppendEntriesReply }) => {
    const p = progress(11, 0);
    const r = no({ conflictIndex: 5 });
    expectRule({ rule: BACKUP, input: { progress: p, leaderLog: LEADER, reply: r }, hint: "the follower's log ends at 4: send from index 5" }, handleAppendEntriesReply(p, LEADER, r), { nextIndex: 5, matchIndex: 0 });
  });

  g.unit(3, "failure with a term the leader also has: resume after the leader's last entry of that term", ({ handleAppendEntriesReply }) => {
    const p = progress(11, 0);
    const r = no({ conflictTerm: 5, conflictIndex: 6 });
    expectRule(
      { rule: BACKUP, input: { progress: p, leaderLog: LEADER, reply: r }, hint: "the leader's last term-5 entry is 7, so the logs can agree up to 7 at most: resume at 8" },
      handleAppendEntriesReply(p, LEADER, r),
      { nextIndex: 8, matchIndex: 0 },
    );
  });

  g.unit(3, "failure with a term the leader never had: skip the follower's whole term", ({ handleAppendEntriesReply }) => {
    const p = progress(11, 0);
    const r = no({ conflictTerm: 3, conflictIndex: 4 });
    expectRule(
      { rule: BACKUP, input: { progress: p, leaderLog: LEADER, reply: r }, hint: "the leader has no term-3 entry, so none of the follower's term-3 entries can match: resume at its first one" },
      handleAppendEntriesReply(p, LEADER, r),
      { nextIndex: 4, matchIndex: 0 },
    );
  });

  g.unit(2, "failure: nextIndex never drops to or below what the follower is known to hold", ({ handleAppendEntriesReply }) => {
    const p = progress(9, 6);
    const r = no({ conflictIndex: 3 });
    expectRule({ rule: BACKUP, input: { progress: p, leaderLog: LEADER, reply: r }, hint: "a rejection that arrives late says nothing about entries 1-6, which the follower acknowledged" }, handleAppendEntriesReply(p, LEADER, r), { nextIndex: 7, matchIndex: 6 });
  });

  g.unit(1, "failure: a late rejection never moves nextIndex forward", ({ handleAppendEntriesReply }) => {
    const p = progress(3, 0);
    const r = no({ conflictIndex: 8 });
    expectRule({ rule: BACKUP, input: { progress: p, leaderLog: LEADER, reply: r } }, handleAppendEntriesReply(p, LEADER, r), { nextIndex: 3, matchIndex: 0 });
  });

  g.unit(1, "failure: matchIndex is unchanged by a rejection", ({ handleAppendEntriesReply }) => {
    const p = progress(6, 2);
    const r = no({ conflictTerm: 4, conflictIndex: 4 });
    expectRule({ rule: BACKUP, input: { progress: p, leaderLog: LEADER, reply: r }, hint: "a rejection proves nothing new is replicated" }, handleAppendEntriesReply(p, LEADER, r).matchIndex, 2);
  });

  g.simulation(6, "leaders repair lagging and divergent followers after crashes and partitions", {
    protocol: "raft",
    seeds: 30,
    hint: "follow one lagging follower after the faults heal: which nextIndex does the leader try, and what does the follower answer?",
    run: (impl, run) => runRaft(run, { raft: { rules: impl } }),
  });

  g.simulation(4, "long partitions leave long divergent logs that must be repaired quickly", {
    protocol: "raft",
    seeds: 20,
    hint: "after a long partition a follower may hold many entries of terms the leader never had: back up a whole term at a time",
    run: (impl, run) => runRaft(run, { raft: { rules: impl }, rates: { partition: 1.5, crash: 0.5 }, clients: 3 }),
  });
  g.exhaustive(4, "exhaustive search: a new leader with one write and 1 lost message, 3 steps deep, from every state the cluster must recover; and a follower with conflicting entries whose log is too short");
});
