// Leader election scenarios in the spirit of the classic Raft lab suite (initial election, re-election, churn).

import { describe, expect, it } from "vitest";
import { Rng } from "@course/sim";
import { leaderOf, raftNodes } from "@course/raft";
import { checkedCluster, electLeader, terms } from "./raft-lab.js";

describe("Raft leader election", () => {
  it("elects one leader at start, and terms stay put while nothing fails", () => {
    const sim = checkedCluster(3);
    const leader = electLeader(sim);
    const term = leader.currentTerm;
    expect(term).toBeGreaterThanOrEqual(1);
    sim.runFor(2000);
    sim.assertNoViolation();
    expect(terms(sim)).toEqual([term, term, term]);
    expect(leaderOf(sim)?.id).toBe(leader.id);
  });

  it("re-elects after the leader is cut off, keeps it when the old leader rejoins, and elects no one without a majority", () => {
    const sim = checkedCluster(3);
    const first = electLeader(sim);
    sim.apply({ type: "isolate", node: first.id });
    const cutAt = sim.now;
    sim.runUntil(() => raftNodes(sim).some((n) => n.role === "leader" && n.id !== first.id), { timeout: 2000 });
    const second = raftNodes(sim).find((n) => n.role === "leader" && n.id !== first.id);
    expect(second).toBeDefined();
    // Efficiency: the election completes within two maximum election timeouts plus a few message delays.
    expect(sim.now - cutAt).toBeLessThan(2 * 300 + 50);
    sim.apply({ type: "heal" });
    sim.runFor(500);
    expect(leaderOf(sim)?.id).toBe(second?.id);
    expect(raftNodes(sim).filter((n) => n.role === "leader")).toHaveLength(1);
    // Cut everyone off from everyone: no server can collect a majority.
    for (const n of sim.nodeIds) sim.apply({ type: "isolate", node: n });
    sim.runFor(2000);
    expect(raftNodes(sim).filter((n) => n.role === "leader" && n.currentTerm > (second?.currentTerm ?? 0))).toHaveLength(0);
    sim.apply({ type: "heal" });
    electLeader(sim);
    sim.runFor(500);
    sim.assertNoViolation();
  });

  it("keeps electing leaders while random servers are disconnected and reconnected (churn)", () => {
    const sim = checkedCluster(7, {}, 3);
    const rng = new Rng(42);
    for (let round = 0; round < 10; round++) {
      const down = rng.shuffle(sim.nodeIds).slice(0, 3);
      for (const n of down) sim.apply({ type: "isolate", node: n });
      sim.runFor(1000);
      const leader = leaderOf(sim);
      // Four of seven are connected: some connected server must lead.
      expect(raftNodes(sim).some((n) => n.role === "leader" && !down.includes(n.id))).toBe(true);
      expect(leader).toBeDefined();
      sim.apply({ type: "heal" });
    }
    sim.assertNoViolation();
  });

  it("resolves split votes: two candidates in the same term, then randomised timeouts pick one", () => {
    // Cut each candidate's votes so that 0 and 1 split a four-node cluster two-two.
    const sim = checkedCluster(4, { firstTimeouts: { 0: 10, 1: 10, 2: 1000, 3: 1000 } }, 7, { latency: { kind: "fixed", ms: 5 } });
    sim.apply({ type: "cut", from: 0, to: 3 });
    sim.apply({ type: "cut", from: 1, to: 2 });
    sim.runUntilTime(100);
    expect(raftNodes(sim).filter((n) => n.role === "candidate").map((n) => n.currentTerm)).toEqual([1, 1]);
    sim.apply({ type: "heal" });
    const leader = electLeader(sim);
    expect(leader.currentTerm).toBeGreaterThanOrEqual(2);
  });

  it("PreVote keeps a rejoining server from disrupting a stable cluster; without it, the term jumps", () => {
    const run = (preVote: boolean) => {
      const sim = checkedCluster(5, { preVote }, 9);
      const leader = electLeader(sim);
      const before = leader.currentTerm;
      const lonely = sim.nodeIds.find((n) => n !== leader.id) as number;
      sim.apply({ type: "isolate", node: lonely });
      sim.runFor(2000);
      sim.apply({ type: "heal" });
      sim.runFor(1000);
      sim.assertNoViolation();
      return { before, after: leaderOf(sim)?.currentTerm ?? -1, sameLeader: leaderOf(sim)?.id === leader.id };
    };
    const withPreVote = run(true);
    expect(withPreVote.after).toBe(withPreVote.before);
    expect(withPreVote.sameLeader).toBe(true);
    const without = run(false);
    expect(without.after).toBeGreaterThan(without.before);
  });

  it("CheckQuorum makes a leader cut off from the majority step down (without it, it goes on believing it leads)", () => {
    const roleAfterIsolation = (checkQuorum: boolean) => {
      const sim = checkedCluster(5, { checkQuorum }, 4);
      const leader = electLeader(sim);
      sim.apply({ type: "isolate", node: leader.id });
      sim.runFor(1000);
      return sim.node<typeof leader>(leader.id)?.role;
    };
    expect(roleAfterIsolation(true)).not.toBe("leader");
    expect(roleAfterIsolation(false)).toBe("leader");
  });

  it("RPC counts (6.5840 TestCount3B): electing the first leader of three servers costs at most 30 requests, over many seeds", () => {
    const requests = (counts: Record<string, { sent: number }>) => Object.entries(counts).filter(([type]) => !type.endsWith("Reply")).reduce((n, [, c]) => n + c.sent, 0);
    for (const preVote of [false, true]) {
      for (let seed = 1; seed <= 50; seed++) {
        const sim = checkedCluster(3, { preVote }, seed);
        electLeader(sim);
        // The lab counts half a second in, after its first check for a leader: heartbeats are in the bill too.
        sim.runUntilTime(Math.max(sim.now, 500));
        sim.assertNoViolation();
        const total = requests(sim.counters.toJSON());
        expect(total, `seed ${seed}, PreVote ${preVote}`).toBeGreaterThanOrEqual(1);
        expect(total, `seed ${seed}, PreVote ${preVote}`).toBeLessThanOrEqual(30);
      }
    }
  });
});
