// Exercise 5 (Raft RequestVote): the reference it is graded against, the classic mistakes it must catch and the exhaustive search that hunts them.

import { handlePreVote, handleRequestVote, isLogUpToDate, voteForEveryone, voteWithoutUpToDateCheck } from "@course/raft";
import { defineExercise } from "../../grading/exercise.js";
import { checkFields, checkType } from "../../grading/shapes.js";
import { RAFT_LONGER_OLDER_LOG_CAMPAIGNS, RAFT_PREVOTE_LEADER_DIES } from "../../grading/clusters/search-starts.js";

type RequestVoteRules = { handleRequestVote: typeof handleRequestVote };

export const requestVoteExercise = defineExercise<RequestVoteRules>({
  lesson: 5,
  folder: "05-leader-election",
  id: "request-vote",
  title: "Raft: the RequestVote handler",
  stubFile: "05-leader-election/exercise/request-vote.ts",
  functions: ["handleRequestVote"],
  loadStudent: () => import("./request-vote.js"),
  reference: { handleRequestVote },
  checkResult: { handleRequestVote: checkFields({ voteGranted: "boolean", votedFor: "number|null" }) },
  mutants: {
    "vote-without-up-to-date-check": {
      searchFinds: true,
      description: "grants a vote without the §5.4.1 up-to-date check, so a candidate missing committed entries can win",
      functions: { handleRequestVote: voteWithoutUpToDateCheck },
    },
    "vote-for-everyone": { searchFinds: true, description: "ignores votedFor and grants every candidate of the term, so two leaders can win one term", functions: { handleRequestVote: voteForEveryone } },
    "up-to-date-by-length-only": {
      searchFinds: true,
      description: "decides 'up-to-date' by log length alone, ignoring the term of the last entry",
      functions: {
        handleRequestVote: (voter, req) => {
          if (req.term < voter.currentTerm) return { voteGranted: false, votedFor: voter.votedFor };
          const free = voter.votedFor === null || voter.votedFor === req.candidateId;
          return free && req.lastLogIndex >= voter.lastLogIndex ? { voteGranted: true, votedFor: req.candidateId } : { voteGranted: false, votedFor: voter.votedFor };
        },
      },
    },
    "voted-for-zero-is-free": {
      searchFinds: true,
      description: "tests votedFor for truthiness, so a vote for server 0 looks like no vote and a second candidate of the term is granted",
      functions: { handleRequestVote: (voter, req) => handleRequestVote(voter.votedFor === 0 ? { ...voter, votedFor: null } : voter, req) },
    },
    "grant-stale-term": {
      description: "forgets step 1 and grants votes to candidates from an older term",
      functions: {
        handleRequestVote: (voter, req) => {
          if (req.term < voter.currentTerm) return { voteGranted: true, votedFor: voter.votedFor };
          return handleRequestVote(voter, req);
        },
      },
    },
  },
  search: {
    hint: "the counterexample is a shortest run: follow each RequestVote the voter granted, its term, and what the voter had recorded before",
    searches: (impl) => [
      { label: "every election of 3 servers", options: { protocol: "raft", rules: impl, depth: 8, drops: 0, timers: 2, crashes: 0, requests: 0, lifetime: 0 } },
      { label: "a longer log of an older term asks for a vote", options: { protocol: "raft", rules: impl, depth: 3, drops: 0, timers: 0, crashes: 0, requests: 0, lifetime: 0 }, start: RAFT_LONGER_OLDER_LOG_CAMPAIGNS },
    ],
  },
});

type PreVoteRules = { handlePreVote: typeof handlePreVote };

export const preVoteExercise = defineExercise<PreVoteRules>({
  lesson: 5,
  folder: "05-leader-election",
  id: "pre-vote",
  title: "Raft: the PreVote handler",
  stubFile: "05-leader-election/exercise/pre-vote.ts",
  functions: ["handlePreVote"],
  loadStudent: () => import("./pre-vote.js"),
  reference: { handlePreVote },
  checkResult: { handlePreVote: checkType("boolean") },
  mutants: {
    "pre-vote-ignores-leader": {
      description: "grants pre-votes even while a live leader is heard, so a server that rejoins after a partition forces an election",
      functions: { handlePreVote: (voter, req) => req.term > voter.currentTerm && isLogUpToDate(req.lastLogTerm, req.lastLogIndex, voter.lastLogTerm, voter.lastLogIndex) },
    },
    "pre-vote-without-log-check": {
      description: "grants pre-votes without the up-to-date check, so a stale server starts real elections it cannot win",
      functions: { handlePreVote: (voter, req) => req.term > voter.currentTerm && !voter.leaderRecentlyHeard },
    },
    "pre-vote-for-current-term": {
      description: "grants a pre-vote for the voter's own current term, an election that could not happen",
      functions: { handlePreVote: (voter, req) => req.term >= voter.currentTerm && !voter.leaderRecentlyHeard && isLogUpToDate(req.lastLogTerm, req.lastLogIndex, voter.lastLogTerm, voter.lastLogIndex) },
    },
    "pre-vote-copies-voted-for": {
      searchFinds: true,
      description: "copies RequestVote's votedFor check: once every follower has voted for a leader that then dies for good, nobody grants a pre-vote again",
      functions: { handlePreVote: (voter, req) => (voter.votedFor === null || voter.votedFor === req.candidateId) && handlePreVote(voter, req) },
    },
    "pre-vote-next-term-only": {
      description: "grants only a pre-vote for exactly currentTerm + 1, refusing a candidate more than one term ahead",
      functions: { handlePreVote: (voter, req) => req.term === voter.currentTerm + 1 && handlePreVote(voter, req) },
    },
    "pre-vote-grants-always": { description: "grants every pre-vote, which makes PreVote useless", functions: { handlePreVote: () => true } },
  },
  search: {
    hint: "the counterexample ends with a fault-free run in which the two survivors never pass a pre-vote: what does each answer, and does the vote they gave the dead leader matter to a pre-vote?",
    searches: (impl) => [
      {
        options: { protocol: "raft", rules: impl, nodeOptions: { preVote: true, checkQuorum: true }, depth: 3, drops: 0, timers: 1, crashes: 0, requests: 0, lifetime: 0, liveness: { within: 3000, tries: 1, stayDown: true } },
        start: RAFT_PREVOTE_LEADER_DIES,
      },
    ],
  },
});
