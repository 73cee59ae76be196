// Graded suite for exercise 8: the commit rule (§5.4.2, Figure 8) and persistence (Figure 2), alone and under crashes.

import type { NodeId } from "@course/sim";
import { raftInvariants } from "@course/check";
import { runFigure8, type LeaderCommitState, type RaftRules } from "@course/raft";
import { gradedSuite } from "../../grading/graded.js";
import { expectRule } from "../../grading/failure.js";
import { logOf } from "../../grading/raft-fixtures.js";
import { runRaft } from "../../grading/clusters/raft.js";
import { runRebootedVoter } from "../../grading/clusters/raft-scripts.js";
import { plugged, safetyExercise } from "./exercise.js";

const COMMIT = "Figure 2, rules for leaders, with §5.4.2: commit N if a majority has matchIndex >= N and log[N].term == currentTerm";
const PERSIST = "Figure 2: currentTerm, votedFor and log[] are written to stable storage before responding to RPCs";

/** A leader (node `self`, 1 by default) of `members` with the given log, whose followers have the given matchIndex values. */
function leader(currentTerm: number, commitIndex: number, terms: number[], follower: Record<number, number>, members: NodeId[] = [1, 2, 3, 4, 5], self: NodeId = 1): LeaderCommitState & { shown: unknown } {
  const log = logOf(terms);
  const state = {
    currentTerm,
    commitIndex,
    log,
    members,
    // Only members have a matchIndex: asking about any other server is a mistake, and it answers 0.
    matchIndex: (n: NodeId) => (n === self ? log.lastIndex : members.includes(n) ? (follower[n] ?? 0) : 0),
    shown: { currentTerm, commitIndex, logTerms: terms, members, matchIndex: { [self]: `${log.lastIndex} (the leader itself)`, ...follower } },
  };
  return Object.freeze(state);
}

/** What a restarted server reads back: storage keeps what hardState says, and a vote that is not there reads as null. */
function readBack(hard: { currentTerm: number; votedFor?: NodeId | null }): { currentTerm: number; votedFor: NodeId | null } {
  return { currentTerm: hard.currentTerm, votedFor: hard.votedFor ?? null };
}

gradedSuite(safetyExercise, (g) => {
  g.unit(2, "§5.4.2: a current-term entry on a majority is committed", ({ advanceCommitIndex }) => {
    const l = leader(2, 1, [1, 2, 2], { 2: 3, 3: 2, 4: 0, 5: 0 });
    expectRule({ rule: COMMIT, input: { leader: l.shown }, hint: "the leader and servers 2 and 3 hold entry 2: three of five" }, advanceCommitIndex(l), 2);
  });

  g.unit(2, "§5.4.2: an entry on a minority is not committed", ({ advanceCommitIndex }) => {
    const l = leader(2, 0, [2, 2], { 2: 2, 3: 0, 4: 0, 5: 0 });
    expectRule({ rule: COMMIT, input: { leader: l.shown }, hint: "two of five is not a majority" }, advanceCommitIndex(l), 0);
  });

  g.unit(4, "Figure 8: an old-term entry on a majority is NOT committed by counting", ({ advanceCommitIndex }) => {
    const l = leader(4, 1, [1, 2, 3], { 2: 3, 3: 3, 4: 1, 5: 1 });
    expectRule(
      { rule: COMMIT, input: { leader: l.shown }, hint: "entry 3 is from term 3 and the leader is in term 4: a server whose last term is higher could still win and overwrite it (Figure 8)" },
      advanceCommitIndex(l),
      1,
    );
  });

  g.unit(3, "§5.4.2: a current-term entry commits every earlier entry with it", ({ advanceCommitIndex }) => {
    const l = leader(4, 1, [1, 2, 3, 4], { 2: 4, 3: 4, 4: 1, 5: 1 });
    expectRule({ rule: COMMIT, input: { leader: l.shown }, hint: "once entry 4 (term 4) is on a majority, entries 2 and 3 before it are committed by the Log Matching property" }, advanceCommitIndex(l), 4);
  });

  g.unit(2, "commit the highest index a majority holds, not just the next one", ({ advanceCommitIndex }) => {
    const l = leader(3, 2, [3, 3, 3, 3, 3, 3], { 2: 6, 3: 5, 4: 1, 5: 0 });
    expectRule({ rule: COMMIT, input: { leader: l.shown } }, advanceCommitIndex(l), 5);
  });

  g.unit(2, "the commit index never goes back", ({ advanceCommitIndex }) => {
    const l = leader(3, 4, [3, 3, 3, 3, 3], { 2: 2, 3: 2, 4: 0, 5: 0 });
    expectRule({ rule: COMMIT, input: { leader: l.shown }, hint: "match indices can look low right after an election; committed entries stay committed" }, advanceCommitIndex(l), 4);
  });

  g.unit(1, "four servers: a majority is three", ({ advanceCommitIndex }) => {
    const l = leader(2, 0, [2, 2], { 2: 2, 3: 0, 4: 0 }, [1, 2, 3, 4]);
    expectRule({ rule: COMMIT, input: { leader: l.shown }, hint: "half of four is not a majority: two leaders' majorities must share a server" }, advanceCommitIndex(l), 0);
  });

  g.unit(2, "three servers 0, 1, 2: the leader and one follower are a majority", ({ advanceCommitIndex }) => {
    const l = leader(2, 0, [2, 2], { 1: 2, 2: 0 }, [0, 1, 2], 0);
    expectRule({ rule: COMMIT, input: { leader: l.shown }, hint: "count the members you are given (server 0 is one of them): two of three is a majority" }, advanceCommitIndex(l), 2);
  });

  g.unit(2, "seven servers: three replicas are not a majority", ({ advanceCommitIndex }) => {
    const l = leader(2, 0, [2, 2], { 2: 2, 3: 2, 4: 0, 5: 0, 6: 0, 7: 0 }, [1, 2, 3, 4, 5, 6, 7]);
    expectRule({ rule: COMMIT, input: { leader: l.shown }, hint: "a majority of seven is four: the majority depends on the configuration, not on a fixed number" }, advanceCommitIndex(l), 0);
  });

  g.unit(3, "Figure 8: the term that matters is entry N's, not the last entry's", ({ advanceCommitIndex }) => {
    const l = leader(4, 1, [1, 2, 3, 4], { 2: 3, 3: 3, 4: 1, 5: 1 }, [1, 2, 3, 4, 5]);
    expectRule(
      { rule: COMMIT, input: { leader: l.shown }, hint: "entry 3 (term 3) is on a majority but entry 4 (term 4, the leader's) is not: log[3].term is 3, so nothing new is committed yet" },
      advanceCommitIndex(l),
      1,
    );
  });

  g.unit(2, "persistence: currentTerm and votedFor are both written", ({ persistenceDecision }) => {
    const s = Object.freeze({ currentTerm: 7, votedFor: 3 });
    expectRule({ rule: PERSIST, input: { state: s }, hint: "a server that forgets its vote can grant a second one in the same term after a restart" }, readBack(persistenceDecision(s).hardState), { currentTerm: 7, votedFor: 3 });
  });

  g.unit(1, "persistence: a vote for server 0 is written", ({ persistenceDecision }) => {
    const s = Object.freeze({ currentTerm: 4, votedFor: 0 });
    expectRule({ rule: PERSIST, input: { state: s }, hint: "votedFor 0 is a vote (for server 0), not 'no vote'" }, readBack(persistenceDecision(s).hardState), { currentTerm: 4, votedFor: 0 });
  });

  g.unit(1, "persistence: 'no vote yet' reads back as no vote", ({ persistenceDecision }) => {
    const s = Object.freeze({ currentTerm: 2, votedFor: null });
    expectRule(
      { rule: PERSIST, input: { state: s }, hint: "write votedFor: null, or leave it out (storage reads a missing vote back as null); anything else is a vote" },
      readBack(persistenceDecision(s).hardState),
      { currentTerm: 2, votedFor: null },
    );
  });

  g.unit(2, "persistence: log entries are written before the reply", ({ persistenceDecision }) => {
    const s = Object.freeze({ currentTerm: 2, votedFor: 1 });
    expectRule({ rule: PERSIST, input: { state: s }, hint: "the leader counts an acknowledged entry toward commit: it must survive this server's crash" }, persistenceDecision(s).persistLog, true);
  });

  g.simulation(5, "the Figure 8 schedule: no old-term entry is committed and then overwritten", {
    protocol: "raft",
    seeds: 5,
    fresh: 1,
    hint: "watch phase (c): S1 copies its term-2 entry 2 to a majority in term 4; is it committed then?",
    run: (impl, run) => {
      runFigure8({ seed: run.seed, rules: plugged(impl), hooks: raftInvariants(), record: run.record, onPhase: (phase, moment, sim) => void (phase === "prelude" && moment === "begin" && run.track(sim)) });
      return undefined;
    },
  });

  g.simulation(4, "a voter that reboots right after voting does not vote again in the same term", {
    protocol: "raft",
    seeds: 5,
    fresh: 1,
    hint: "after the restart, what does server 2 read back from disk, and how does it answer server 3's RequestVote for term 1?",
    run: (impl, run) => runRebootedVoter(run, plugged(impl)),
  });

  g.simulation(5, "crashes and restarts of every server: votes and entries survive", {
    protocol: "raft",
    seeds: 40,
    hint: "look at the last restart before the violation: what did that server have on disk, and what had it promised before the crash?",
    run: (impl, run) => runRaft(run, { raft: { rules: plugged(impl) }, rates: { crash: 2, pause: 0.3, partition: 0.3 }, clients: 3 }),
  });

  g.simulation(4, "crashes under partitions and message loss keep every acknowledged write", {
    protocol: "raft",
    seeds: 30,
    hint: "an acknowledged write must be in the state machine of the cluster forever after",
    run: (impl, run) => runRaft(run, { raft: { rules: plugged(impl) } }),
  });
  g.exhaustive(4, "exhaustive search: a new leader with one write, every order of the next 4 steps with 1 crash; and 7 servers where 3 hold a write");
});
