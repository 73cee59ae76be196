// Graded suite for exercise 1: the 2PC decision and recovery rules, alone and in a cluster whose coordinator crashes.

import type { NodeId } from "@course/sim";
import type { ParticipantTxnState } from "@course/twopc";
import { gradedSuite } from "../../grading/graded.js";
import { expectRule } from "../../grading/failure.js";
import { runTwoPhaseCommit } from "../../grading/clusters/two-phase-commit.js";
import { twoPhaseCommitExercise } from "./exercise.js";

const DECIDE = "2PC commit rule: commit only if every participant voted yes; abort on any no or at the time-out";
const RECOVER = "2PC recovery: a participant that voted yes is in doubt and must ask the coordinator";
const P: readonly NodeId[] = [1, 2, 3];
const votes = (entries: [NodeId, boolean][]) => new Map(entries);
const show = (m: ReadonlyMap<NodeId, boolean>) => Object.fromEntries(m);

gradedSuite(twoPhaseCommitExercise, (g) => {
  g.unit(2, "commit rule: every participant voted yes, so commit", ({ decide }) => {
    const v = votes([[1, true], [2, true], [3, true]]);
    expectRule({ rule: DECIDE, input: { votes: show(v), participants: P, timedOut: false } }, decide(v, P, false), "commit");
  });

  g.unit(2, "commit rule: one no vote aborts at once, before the other votes arrive", ({ decide }) => {
    const v = votes([[2, false]]);
    expectRule({ rule: DECIDE, input: { votes: show(v), participants: P, timedOut: false }, hint: "a single no makes commit impossible: there is no reason to wait" }, decide(v, P, false), "abort");
  });

  g.unit(2, "commit rule: a majority of yes votes is not enough", ({ decide }) => {
    const v = votes([[1, true], [2, true]]);
    expectRule(
      { rule: DECIDE, input: { votes: show(v), participants: P, timedOut: false }, hint: "2PC needs every participant: the missing one may yet vote no (undefined means keep waiting)" },
      decide(v, P, false),
      undefined,
      (d) => String(d),
    );
  });

  g.unit(2, "commit rule: missing votes at the time-out mean abort", ({ decide }) => {
    const v = votes([[1, true], [3, true]]);
    expectRule({ rule: DECIDE, input: { votes: show(v), participants: P, timedOut: true }, hint: "a participant that never answered may have crashed before it could prepare" }, decide(v, P, true), "abort");
  });

  g.unit(1, "commit rule: no votes at all at the time-out mean abort", ({ decide }) => {
    const v = votes([]);
    expectRule({ rule: DECIDE, input: { votes: {}, participants: P, timedOut: true } }, decide(v, P, true), "abort");
  });

  g.unit(1, "commit rule: all yes votes commit even if the time-out has just expired", ({ decide }) => {
    const v = votes([[1, true], [2, true], [3, true]]);
    expectRule({ rule: DECIDE, input: { votes: show(v), participants: P, timedOut: true } }, decide(v, P, true), "commit");
  });

  g.unit(2, "commit rule: with four participants three yes votes are not enough", ({ decide }) => {
    const four: NodeId[] = [1, 2, 3, 4];
    const v = votes([[1, true], [2, true], [3, true]]);
    expectRule(
      { rule: DECIDE, input: { votes: show(v), participants: four, timedOut: false }, hint: "count against the participant list you are given, not a fixed number: participant 4 may yet vote no" },
      decide(v, four, false),
      undefined,
      (d) => String(d),
    );
  });

  g.unit(1, "commit rule: two participants that both voted yes commit", ({ decide }) => {
    const two: NodeId[] = [1, 2];
    const v = votes([[1, true], [2, true]]);
    expectRule({ rule: DECIDE, input: { votes: show(v), participants: two, timedOut: false }, hint: "every participant of this transaction has voted yes" }, decide(v, two, false), "commit");
  });

  g.unit(1, "commit rule: a no vote among yes votes aborts", ({ decide }) => {
    const v = votes([[1, true], [2, true], [3, false]]);
    expectRule({ rule: DECIDE, input: { votes: show(v), participants: P, timedOut: false } }, decide(v, P, false), "abort");
  });

  const cases: [ParticipantTxnState, ParticipantTxnState, string, number, string][] = [
    ["working", "aborted", "none", 2, "it never voted yes, so the coordinator cannot have committed: aborting alone is safe"],
    ["prepared", "prepared", "ask-coordinator", 3, "after a yes vote only the coordinator knows the outcome: this is where 2PC blocks"],
    ["committed", "committed", "none", 1, "the outcome is already known and durable"],
    ["aborted", "aborted", "none", 1, "the outcome is already known and durable"],
  ];
  for (const [before, state, action, points, hint] of cases) {
    g.unit(points, `recovery: a participant that restarts ${before} ${action === "none" ? `ends ${state}` : "stays prepared and asks the coordinator"}`, ({ recover }) => {
      expectRule({ rule: RECOVER, input: { state: before }, hint }, recover(before), { state, action });
    });
  }

  g.simulation(6, "transactions under crashes of every node, coordinator included, stay atomic and finish", {
    protocol: "2pc",
    seeds: 40,
    hint: "find the transaction the checker names and read what each participant did after its last restart (runs have 2 to 6 participants)",
    run: (impl, run) => runTwoPhaseCommit(run, impl),
  });
  g.exhaustive(4, "exhaustive search: every schedule of one transaction on 4 nodes with up to 1 lost message, 1 crash and 1 time-out, 8 steps deep, and on 5 nodes without faults");
});
