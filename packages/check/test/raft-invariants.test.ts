// Each Raft invariant checker stays quiet on the reference rules and fires on a rule with the matching planted bug.

import { describe, expect, it } from "vitest";
import { Simulation, type NodeId } from "@course/sim";
import { buggyRules, createRaftNode, runFigure8, scriptedTimeouts, type RaftMessage, type RaftNode, type RaftOptions, type RaftRules } from "@course/raft";
import {
  appliedEntriesDurable,
  commitIndexMonotonic,
  electionSafety,
  leaderCompleteness,
  logMatching,
  raftInvariants,
  stateMachineSafety,
  type RaftHook,
} from "../src/index.js";

function cluster(hook: RaftHook, rules: Partial<RaftRules>, options: RaftOptions = {}, nodes: NodeId[] = [1, 2, 3]): Simulation<RaftMessage> {
  return new Simulation<RaftMessage>({
    seed: 5,
    nodes,
    network: { latency: { kind: "fixed", ms: 5 } },
    // Scripted without the election no-op, so that indices are those the comments (and the paper's figures) use.
    createNode: createRaftNode({ firstTimeouts: { 1: 10 }, noopOnElection: false, ...options, rules }),
    hooks: [hook],
  });
}

/** Node 1 wins term 1 with node 2's vote only; node 2 reboots; node 3 then asks node 2 for its vote in term 1. */
function doubleVote(rules: Partial<RaftRules>): Simulation<RaftMessage> {
  const sim = cluster(electionSafety(), rules, { firstTimeouts: { 1: 10, 3: 40 }, electionTimeoutOverride: scriptedTimeouts([{ from: 0, to: 1000, node: "others", ms: 2000 }]) });
  sim.apply({ type: "cut", from: 1, to: 3 });
  sim.apply({ type: "cut", from: 3, to: 1 });
  sim.runUntilTime(30);
  sim.apply({ type: "restart", node: 2 });
  sim.runUntilTime(200);
  return sim;
}

/** Entry 1 of term 1 lives only on node 1; nodes 2 and 3 commit two term-2 entries; node 1 comes back. */
function divergentFollower(rules: Partial<RaftRules>): Simulation<RaftMessage> {
  // Pipelining makes the leader assume node 1 got y=1, so it later probes node 1 at prevLogIndex 1.
  // Node 2 waits out the minimum election timeout after last hearing from node 1, or node 3 would ignore it (§4.2.3).
  const sim = cluster(logMatching(), rules, { pipeline: true, electionTimeoutOverride: scriptedTimeouts([{ from: 0, to: 35, node: "others", ms: 2000 }, { from: 35, to: 1e9, node: 2, ms: 160 }, { from: 35, to: 1e9, node: "others", ms: 2000 }]) });
  sim.runUntilTime(30);
  sim.apply({ type: "cut", from: 1, to: 2 });
  sim.apply({ type: "cut", from: 1, to: 3 });
  sim.request(1, "x=1");
  sim.runUntilTime(40);
  sim.apply({ type: "crash", node: 1 });
  sim.apply({ type: "heal" });
  sim.apply({ type: "restart", node: 2 }); // its next timeout is scripted to 160 ms
  sim.runUntilTime(250);
  sim.request(2, "y=1");
  sim.request(2, "y=2");
  sim.runUntilTime(300);
  sim.apply({ type: "restart", node: 1 });
  sim.runUntilTime(650);
  return sim;
}

/** x=1 is committed on nodes 1 and 2 only; node 1 crashes and node 3 (empty log) runs first. */
function staleCandidate(rules: Partial<RaftRules>): Simulation<RaftMessage> {
  const sim = cluster(leaderCompleteness(), rules, { electionTimeoutOverride: scriptedTimeouts([{ from: 0, to: 1e9, node: 3, ms: 150 }, { from: 0, to: 1e9, node: "others", ms: 2000 }]) });
  sim.apply({ type: "cut", from: 1, to: 3 });
  sim.runUntilTime(30);
  sim.request(1, "x=1");
  sim.runUntilTime(70);
  sim.apply({ type: "crash", node: 1 });
  sim.runUntilTime(600);
  return sim;
}

/** Node 2's copy of x=1 travels slowly while a later heartbeat with a higher leaderCommit overtakes it. */
function overtakenAppend(rules: Partial<RaftRules>): Simulation<RaftMessage> {
  const sim = cluster(commitIndexMonotonic(), rules, { electionTimeoutOverride: scriptedTimeouts([{ from: 0, to: 1e9, node: "others", ms: 2000 }]) });
  sim.runUntilTime(40);
  sim.apply({ type: "link", from: 1, to: 2, config: { latency: { kind: "fixed", ms: 100 } } });
  sim.request(1, "x=1");
  sim.runUntilTime(45);
  sim.apply({ type: "link", from: 1, to: 2, config: { latency: { kind: "fixed", ms: 5 } } });
  sim.runUntilTime(300);
  return sim;
}

/** x=1 is committed on a three-node cluster, then one follower crashes. */
function crashAfterCommit(rules: Partial<RaftRules>): Simulation<RaftMessage> {
  const sim = cluster(appliedEntriesDurable(), rules);
  sim.runUntilTime(30);
  sim.request(1, "x=1");
  sim.runUntilTime(100);
  sim.apply({ type: "crash", node: 2 });
  sim.runUntilTime(150);
  return sim;
}

describe("Raft invariant checkers fire on broken rules", () => {
  it("Election Safety: a server that forgets votedFor across a reboot elects two leaders in term 1", () => {
    expect(doubleVote({}).violation).toBeUndefined();
    expect(doubleVote(buggyRules["forget-voted-for"]).violation?.checker).toBe("Election Safety");
  });

  it("Log Matching: accepting entries after a prevLogIndex of the wrong term breaks matching prefixes", () => {
    const good = divergentFollower({});
    expect(good.violation).toBeUndefined();
    expect(good.node<import("@course/raft").RaftNode>(1)?.log.termAt(1)).toBe(2);
    expect(divergentFollower(buggyRules["append-checking-only-length"]).violation?.checker).toBe("Log Matching");
  });

  it("Leader Completeness: voting without the up-to-date check elects a leader missing a committed entry", () => {
    expect(staleCandidate({}).violation).toBeUndefined();
    expect(staleCandidate(buggyRules["vote-without-up-to-date-check"]).violation?.checker).toBe("Leader Completeness");
  });

  it("State Machine Safety: the naive commit rule of Figure 8 lets two servers apply different entries at index 2", () => {
    expect(runFigure8({ hooks: [stateMachineSafety()] }).violation).toBeUndefined();
    const bad = runFigure8({ hooks: [stateMachineSafety()], rules: buggyRules["commit-old-term-by-counting"] });
    expect(bad.violation?.checker).toBe("State Machine Safety");
    expect(bad.violation?.details).toMatchObject({ index: 2 });
  });

  it("Leader Completeness also catches the naive Figure 8 commit, as soon as S5 wins term 5", () => {
    expect(runFigure8({ hooks: [leaderCompleteness()] }).violation).toBeUndefined();
    expect(runFigure8({ hooks: [leaderCompleteness()], rules: buggyRules["commit-old-term-by-counting"] }).violation?.checker).toBe("Leader Completeness");
  });

  it("Commit Index Monotonic: copying leaderCommit verbatim moves the commit index back on a reordered message", () => {
    expect(overtakenAppend({}).violation).toBeUndefined();
    const bad = overtakenAppend(buggyRules["commit-index-from-leader-verbatim"]);
    expect(bad.violation?.checker).toBe("Commit Index Monotonic");
  });

  it("Applied Entries Durable: acknowledging entries without writing them leaves an applied entry on no disk", () => {
    expect(crashAfterCommit({}).violation).toBeUndefined();
    expect(crashAfterCommit(buggyRules["skip-log-persistence"]).violation?.checker).toBe("Applied Entries Durable");
  });
});

describe("Raft invariant checkers and time travel", () => {
  it("judge a fork made after a rewind on its own history, not on the abandoned one", () => {
    const sim = cluster(raftInvariants()[0] as RaftHook, {});
    sim.runUntilTime(100);
    const first = [1, 2, 3].find((id) => sim.node<RaftNode>(id)?.role === "leader");
    expect(first).toBe(1);
    // Replay from the start with node 1 cut off: another server now wins term 1, which is no violation.
    sim.rewind(0);
    sim.apply({ type: "isolate", node: 1 });
    sim.runUntilTime(1000);
    expect(sim.violation, sim.violationReport()).toBeUndefined();
    const second = [2, 3].find((id) => sim.node<RaftNode>(id)?.role === "leader");
    expect(second).toBeDefined();
    expect(sim.node<RaftNode>(second as number)?.currentTerm).toBe(1);
  });
});

