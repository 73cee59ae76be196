// Graded suite for exercise 5b: the PreVote handler alone (thesis §9.6) and keeping a healthy cluster undisturbed.

import type { PreVote, VoterState } from "@course/raft";
import { gradedSuite } from "../../grading/graded.js";
import { expectRule } from "../../grading/failure.js";
import { runRaft } from "../../grading/clusters/raft.js";
import { runRejoiningServer } from "../../grading/clusters/raft-scripts.js";
import { preVoteExercise } from "./exercise.js";

type Voter = VoterState & { readonly leaderRecentlyHeard: boolean };
const voter = (currentTerm: number, lastLogIndex: number, lastLogTerm: number, leaderRecentlyHeard = false, votedFor: number | null = null): Voter =>
  Object.freeze({ currentTerm, votedFor, lastLogIndex, lastLogTerm, leaderRecentlyHeard });
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

  g.unit(3, "§9.6: a vote given in the voter's own term does not stop a pre-vote for a newer one", ({ handlePreVote }) => {
    const v = voter(3, 5, 3, false, 4);
    const r = ask(4, 5, 3);
    expectRule(
      { rule: RULE, input: { voter: v, req: r }, hint: "votedFor is the vote of term 3; the pre-vote asks about term 4, in which this voter has not voted. Once the leader everyone voted for is gone, refusing here means no election can ever start" },
      handlePreVote(v, r),
      true,
    );
  });

  g.unit(1, "§9.6: a candidate several terms ahead of the voter is granted", ({ handlePreVote }) => {
    const v = voter(3, 5, 3);
    const r = ask(7, 5, 3);
    expectRule({ rule: RULE, input: { voter: v, req: r }, hint: "the rule is req.term > currentTerm: a voter that missed some terms is simply behind" }, handlePreVote(v, r), true);
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

  g.simulation(5, "the leader crashes for good: the others elect a new one through PreVote", {
    protocol: "raft",
    seeds: 20,
    hint: "every follower voted for the dead leader in its term: do they still grant pre-votes for the next term once no leader is heard?",
    run: (impl, run) => runRaft(run, { raft: { rules: impl, preVote: true, checkQuorum: run.seed % 2 === 0 }, rates: { partition: 0.8, cut: 0.6, lossy: 0.4 }, faultsUntil: 1500, leaderFault: { kind: "crash" } }),
  });

  g.simulation(4, "with PreVote and CheckQuorum on, elections under faults stay safe and live", {
    protocol: "raft",
    seeds: 20,
    hint: "a cluster that heals must elect a leader again: pre-votes must still be granted when no leader is heard",
    run: (impl, run) => runRaft(run, { raft: { rules: impl, preVote: true, checkQuorum: true } }),
  });
  g.exhaustive(4, "exhaustive search: the leader every server voted for dies for good; every next 3 steps, then the other two must elect a leader");
});
