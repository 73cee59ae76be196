// The checkers branch with simulation checkpoints: each branch is judged by its own past, never by another branch's.

import { describe, expect, it } from "vitest";
import { Simulation, type Hook, type Message } from "@course/sim";
import { createTwoPcNode, type TwoPcMessage, type TwoPcNode } from "@course/twopc";
import { createPaxosNode, createMultiPaxosNode, type PaxosMessage, type MultiPaxosMessage } from "@course/paxos";
import { createRaftNode, leaderOf, type RaftMessage, type RaftNode } from "@course/raft";
import { checkChosenOnceMultiPaxos, checkExactlyOnceMultiPaxos, multiPaxosChecker, paxosChecker, raftAppliedOnce, raftInvariants, twoPcChecker } from "../src/index.js";

describe("checkers and checkpoints", () => {
  it("2PC: a commit in one branch and an abort in another are no atomicity violation", () => {
    const sim = new Simulation<TwoPcMessage>({ seed: 1, nodes: [0, 1, 2], network: { latency: { kind: "fixed", ms: 5 } }, createNode: createTwoPcNode(), hooks: [twoPcChecker()], record: false });
    sim.request(0, "t1");
    const cp = sim.checkpoint();
    sim.runUntilTime(500);
    expect(sim.node<TwoPcNode>(1)?.inspect().txns.t1).toBe("committed");
    sim.restore(cp);
    sim.apply({ type: "crash", node: 2 }); // its vote never comes: the coordinator times out and aborts
    sim.runUntilTime(500);
    expect(sim.node<TwoPcNode>(1)?.inspect().txns.t1).toBe("aborted");
    expect(sim.violation).toBeUndefined();
  });

  it("Raft: different leaders of one term in two branches are no Election Safety violation", () => {
    const make = () => new Simulation<RaftMessage>({ seed: 3, nodes: [0, 1, 2], network: { latency: { kind: "fixed", ms: 5 } }, createNode: createRaftNode({ electionTimeout: { min: 100, max: 100 } }), hooks: raftInvariants(), record: false });
    const sim = make();
    const cp = sim.checkpoint();
    const winners = new Set<number>();
    for (const first of [0, 1, 2]) {
      sim.restore(cp);
      // Keep the others quiet for a while so that `first` times out and wins term 1.
      for (const other of [0, 1, 2]) if (other !== first) sim.apply({ type: "pause", node: other });
      sim.runUntilTime(150);
      for (const other of [0, 1, 2]) if (other !== first) sim.apply({ type: "resume", node: other });
      sim.runUntil(() => leaderOf(sim) !== undefined, { timeout: 1000 });
      winners.add(leaderOf(sim)?.id ?? -1);
      expect(leaderOf(sim)?.currentTerm).toBeGreaterThan(0);
    }
    expect(winners.size).toBeGreaterThan(1);
    expect(sim.violation).toBeUndefined();
  });

  it("Raft: a commit index that goes back is still caught right after a restore", () => {
    const sim = new Simulation<RaftMessage>({ seed: 1, nodes: [0, 1, 2], createNode: createRaftNode(), hooks: raftInvariants(), record: false });
    sim.runUntil(() => leaderOf(sim) !== undefined, { timeout: 2000 });
    sim.request(leaderOf(sim)!.id, "x=1");
    sim.runFor(200);
    const leader = leaderOf(sim)!;
    expect(leader.commitIndex).toBeGreaterThan(0);
    const cp = sim.checkpoint();
    sim.runFor(200);
    sim.restore(cp);
    // After the restore the leader's object is the checkpoint's; its next heartbeat runs on a copy (a new object).
    const saved = sim.node(leader.id);
    sim.runFor(100);
    expect(sim.node(leader.id)).not.toBe(saved);
    // Turn its commit index back through the back door, as a buggy rule would: the checker must notice at once.
    (sim.node<RaftNode>(leader.id) as RaftNode).commitIndex = 0;
    sim.apply({ type: "pause", node: (leader.id + 1) % 3 });
    expect(sim.violation?.checker).toBe("Commit Index Monotonic");
  });

  const branchable: Array<[string, () => Hook<Message>]> = [
    ["paxos", () => paxosChecker() as Hook<Message>],
    ["multi-paxos", () => multiPaxosChecker() as Hook<Message>],
    ["multi-paxos exactly-once", () => checkExactlyOnceMultiPaxos() as Hook<Message>],
    ["multi-paxos chosen-once", () => checkChosenOnceMultiPaxos() as Hook<Message>],
    ["raft applied-once", () => raftAppliedOnce() as Hook<Message>],
    ["2pc", () => twoPcChecker() as Hook<Message>],
    ["raft", () => raftInvariants()[0] as Hook<Message>],
  ];
  for (const [name, make] of branchable) {
    it(`${name}: the checker saves and restores its memory`, () => {
      const hook = make();
      expect(typeof hook.save).toBe("function");
      expect(typeof hook.restore).toBe("function");
    });
  }

  it("Paxos and Multi-Paxos: runs replayed from a checkpoint agree with a straight run", () => {
    const straight = new Simulation<PaxosMessage>({ seed: 2, nodes: [0, 1, 2], createNode: createPaxosNode(), hooks: [paxosChecker()], network: { drop: 0.2 }, record: false });
    straight.request(0, "a");
    straight.request(1, "b");
    straight.runUntilTime(2000);
    const branched = new Simulation<PaxosMessage>({ seed: 2, nodes: [0, 1, 2], createNode: createPaxosNode(), hooks: [paxosChecker()], network: { drop: 0.2 }, record: false });
    branched.request(0, "a");
    branched.request(1, "b");
    branched.runUntilTime(300);
    const cp = branched.checkpoint();
    branched.apply({ type: "crash", node: 2 });
    branched.runUntilTime(2000);
    branched.restore(cp);
    branched.runUntilTime(2000);
    expect(branched.violation).toBeUndefined();
    expect(branched.counters.toJSON()).toEqual(straight.counters.toJSON());
    const multi = new Simulation<MultiPaxosMessage>({ seed: 2, nodes: [0, 1, 2], createNode: createMultiPaxosNode(), hooks: [multiPaxosChecker(), checkExactlyOnceMultiPaxos(), checkChosenOnceMultiPaxos()], record: false });
    multi.request(0, "c1");
    multi.runUntilTime(400);
    const mcp = multi.checkpoint();
    multi.apply({ type: "crash", node: 0 });
    multi.request(1, "c2");
    multi.runUntilTime(2000);
    multi.restore(mcp);
    multi.request(2, "c3");
    multi.runUntilTime(2000);
    expect(multi.violation).toBeUndefined();
  });
});
