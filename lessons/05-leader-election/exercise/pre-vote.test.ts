// Graded suite for exercise 5b: the PreVote handler alone (thesis §9.6) and keeping a healthy cluster undisturbed.

import type { PreVote, VoterState } from "@course/raft";
import { gradedSuite } from "../../grading/graded.js";
import { expectRule } from "../../grading/failure.js";
import { runRaft } from "../../grading/clusters/raft.js";
import { runRejoiningServer } from "../../grading/clusters/raft-scripts.js";
import { preVoteExercise } from "./exercise.js";

type Voter = VoterState & { readonly leaderRecentlyHeard: boolean };
const voter = (currentTerm: number, lastLogIndex: number, lastLogTerm: number, leaderRecentlyHeard = false): Voter => Object.freeze({ currentTerm, votedFor: null, lastLogIndex, lastLogTerm, leaderRecentlyHeard });
const ask = (term: number, lastLogIndex: number, lastLogTerm: number): PreVote => Object.freeze({ type: "PreVote", term, candidateId: 2, lastLogIndex, lastLogTerm });
const RULE = "PreVote (Raft thesis §9.6): grant only for a newer term, with no live leader heard, to an up-to-date log";

gradedSuite(preVoteExercise, (g) => {
  g.unit(2, "§9.6: no leader heard, newer term, equal logs: grant", ({ handlePreVote }) => {
    const v = voter(3, 5, 3);
    const r = ask(4, 5, 3);
    expectRule({ rule: RULE, input: { voter: v, req: r } }, handlePreVote(v, r), true);
  });

  g.unit(3, "§9.6: a voter that hears from a live leader refuses", ({ handlePreVote }) => {
    const v = voter(3, 5, 3, true);
    const r = ask(4, 5, 3);
    expectRule({ rule: RULE, input: { voter: v, req: r }, hint: "the candidate was probably cut off; the cluster is fine and must not be disrupted" }, handlePreVote(v, r), false);
  });

  g.unit(2, "§9.6: a pre-vote for the voter's own term is refused", ({ handlePreVote }) => {
    const v = voter(4, 5, 3);
    const r = ask(4, 5, 3);
    expectRule({ rule: RULE, input: { voter: v, req: r }, hint: "an election for term 4 cannot be won here: this voter is already in term 4" }, handlePreVote(v, r), false);
  });

  g.unit(1, "§9.6: a pre-vote for an older term is refused", ({ handlePreVote }) => {
    const v = voter(6, 5, 3);
    const r = ask(5, 9, 5);
    expectRule({ rule: RULE, input: { voter: v, req: r } }, handlePreVote(v, r), false);
  });

  g.unit(3, "§5.4.1 applies to pre-votes: a candidate whose last term is older is refused", ({ handlePreVote }) => {
    const v = voter(3, 4, 3);
    const r = ask(4, 8, 2);
    expectRule({ rule: RULE, input: { voter: v, req: r }, hint: "a pre-vote asks 'would you vote for me?': answer as the real vote would" }, handlePreVote(v, r), false);
  });

  g.unit(1, "§5.4.1 applies to pre-votes: same last term, shorter log is refused", ({ handlePreVote }) => {
    const v = voter(3, 6, 3);
    const r = ask(4, 5, 3);
    expectRule({ rule: RULE, input: { voter: v, req: r } }, handlePreVote(v, r), false);
  });

  g.unit(1, "§5.4.1 applies to pre-votes: a newer last term wins even with a shorter log", ({ handlePreVote }) => {
    const v = voter(3, 9, 2);
    const r = ask(4, 4, 3);
    expectRule({ rule: RULE, input: { voter: v, req: r } }, handlePreVote(v, r), true);
  });

  g.simulation(5, "a server that cannot hear the leader does not disrupt the cluster", {
    protocol: "raft",
    seeds: 20,
    fresh: 10,
    hint: "which servers answer the lonely server's PreVote with a grant, and were they hearing from the leader at the time?",
    run: (impl, run) => runRejoiningServer(run, impl),
  });

  g.simulation(4, "with PreVote and CheckQuorum on, elections under faults stay safe and live", {
    protocol: "raft",
    seeds: 20,
    hint: "a cluster that heals must elect a leader again: pre-votes must still be granted when no leader is heard",
    run: (impl, run) => runRaft(run, { raft: { rules: impl, preVote: true, checkQuorum: true } }),
  });
});
