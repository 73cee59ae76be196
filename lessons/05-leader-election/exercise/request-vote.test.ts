// Graded suite for exercise 5: the RequestVote handler alone (Figure 2, §5.4.1) and in elections under faults.

import type { RequestVote, VoterState } from "@course/raft";
import { gradedSuite } from "../../grading/graded.js";
import { expectRule, frozen } from "../../grading/failure.js";
import { runRaft } from "../../grading/clusters/raft.js";
import { requestVoteExercise } from "./exercise.js";

const voter = (currentTerm: number, votedFor: number | null, lastLogIndex: number, lastLogTerm: number): VoterState => frozen({ currentTerm, votedFor, lastLogIndex, lastLogTerm });
const ask = (term: number, candidateId: number, lastLogIndex: number, lastLogTerm: number): RequestVote => frozen({ type: "RequestVote", term, candidateId, lastLogIndex, lastLogTerm });
const STEP1 = "Figure 2, RequestVote receiver, step 1: reply false if term < currentTerm";
const STEP2 = "Figure 2, RequestVote receiver, step 2: grant if votedFor is null or the candidate, and its log is at least as up-to-date (§5.4.1)";
const UP_TO_DATE = "§5.4.1 election restriction: the later last term is more up-to-date; with equal last terms, the longer log";

gradedSuite(requestVoteExercise, (g) => {
  g.unit(2, "step 1: a candidate from an older term is refused and votedFor is unchanged", ({ handleRequestVote }) => {
    const v = voter(5, null, 3, 4);
    const r = ask(4, 2, 9, 4);
    expectRule({ rule: STEP1, input: { voter: v, req: r }, hint: "the candidate is stale: it has missed at least one election" }, handleRequestVote(v, r), { voteGranted: false, votedFor: null });
  });

  g.unit(1, "step 2: a voter that has not voted grants a candidate with an equal log", ({ handleRequestVote }) => {
    const v = voter(3, null, 4, 2);
    const r = ask(3, 1, 4, 2);
    expectRule({ rule: STEP2, input: { voter: v, req: r } }, handleRequestVote(v, r), { voteGranted: true, votedFor: 1 });
  });

  g.unit(1, "step 2: both logs empty: grant", ({ handleRequestVote }) => {
    const v = voter(1, null, 0, 0);
    const r = ask(1, 4, 0, 0);
    expectRule({ rule: STEP2, input: { voter: v, req: r } }, handleRequestVote(v, r), { voteGranted: true, votedFor: 4 });
  });

  g.unit(2, "step 2: a retransmitted request from the candidate already voted for is granted again", ({ handleRequestVote }) => {
    const v = voter(3, 1, 4, 2);
    const r = ask(3, 1, 4, 2);
    expectRule({ rule: STEP2, input: { voter: v, req: r }, hint: "the first reply may have been lost: granting the same candidate again is safe" }, handleRequestVote(v, r), { voteGranted: true, votedFor: 1 });
  });

  g.unit(3, "Election Safety: a second candidate in the same term is refused", ({ handleRequestVote }) => {
    const v = voter(3, 1, 4, 2);
    const r = ask(3, 2, 9, 3);
    expectRule({ rule: STEP2, input: { voter: v, req: r }, hint: "one vote per term: two candidates that each count this vote could both become leader (§5.2)" }, handleRequestVote(v, r), { voteGranted: false, votedFor: 1 });
  });

  g.unit(2, "Election Safety: a vote for server 0 is a vote too", ({ handleRequestVote }) => {
    const v = voter(3, 0, 4, 2);
    const r = ask(3, 2, 4, 2);
    expectRule({ rule: STEP2, input: { voter: v, req: r }, hint: "votedFor 0 names server 0; only null means 'no vote yet' (0 is falsy in JavaScript)" }, handleRequestVote(v, r), { voteGranted: false, votedFor: 0 });
  });

  g.unit(3, "§5.4.1: a longer log whose last term is older is not up-to-date", ({ handleRequestVote }) => {
    const v = voter(6, null, 3, 5);
    const r = ask(6, 2, 10, 4);
    expectRule({ rule: UP_TO_DATE, input: { voter: v, req: r }, hint: "compare last terms first; length matters only when they are equal" }, handleRequestVote(v, r), { voteGranted: false, votedFor: null });
  });

  g.unit(2, "§5.4.1: a shorter log whose last term is newer is up-to-date", ({ handleRequestVote }) => {
    const v = voter(6, null, 8, 3);
    const r = ask(6, 2, 4, 5);
    expectRule({ rule: UP_TO_DATE, input: { voter: v, req: r } }, handleRequestVote(v, r), { voteGranted: true, votedFor: 2 });
  });

  g.unit(2, "§5.4.1: same last term, shorter log: refuse", ({ handleRequestVote }) => {
    const v = voter(4, null, 7, 3);
    const r = ask(4, 0, 6, 3);
    expectRule({ rule: UP_TO_DATE, input: { voter: v, req: r }, hint: "entry 7 may be committed; a leader without it would erase it" }, handleRequestVote(v, r), { voteGranted: false, votedFor: null });
  });

  g.unit(1, "§5.4.1: same last term, longer log: grant", ({ handleRequestVote }) => {
    const v = voter(4, null, 6, 3);
    const r = ask(4, 0, 7, 3);
    expectRule({ rule: UP_TO_DATE, input: { voter: v, req: r } }, handleRequestVote(v, r), { voteGranted: true, votedFor: 0 });
  });

  g.unit(1, "step 2: a refusal for a stale log keeps an earlier vote for someone else", ({ handleRequestVote }) => {
    const v = voter(4, 3, 6, 3);
    const r = ask(4, 0, 2, 1);
    expectRule({ rule: STEP2, input: { voter: v, req: r } }, handleRequestVote(v, r), { voteGranted: false, votedFor: 3 });
  });

  g.simulation(6, "elections under crashes and partitions: one leader per term, no committed entry lost", {
    protocol: "raft",
    seeds: 30,
    hint: "find the election before the violation: which servers granted votes, and what did their logs look like?",
    run: (impl, run) => runRaft(run, { raft: { rules: impl } }),
  });

  g.simulation(4, "many short partitions and restarts force repeated elections", {
    protocol: "raft",
    seeds: 20,
    hint: "with frequent elections, stale candidates keep asking for votes: they must not win",
    run: (impl, run) => runRaft(run, { raft: { rules: impl }, rates: { crash: 1.5, partition: 1.5, cut: 1, pause: 0.5 }, clients: 3 }),
  });
  g.exhaustive(4, "exhaustive search: every election of 3 servers with up to 2 time-outs, 8 steps deep, and a longer log of an older term asking for a vote");
});
