// Snapshots and InstallSnapshot, membership changes, the key-value store's sessions, ReadIndex reads and leadership transfer.

import { describe, expect, it } from "vitest";
import { Rng, Simulation } from "@course/sim";
import { createRaftNode, leaderOf, raftNodes, type ClientResult, type RaftMessage, type RaftNode } from "@course/raft";
import { raftInvariants } from "../src/index.js";
import { lostOrDuplicatedWrites, mostApplied, randomRun } from "./raft-cluster.js";
import { checkedCluster, electLeader, one, others, submit } from "./raft-lab.js";

describe("Raft snapshots and InstallSnapshot (§7)", () => {
  it("compacts the log and brings a lagging follower up to date with InstallSnapshot", () => {
    const sim = checkedCluster(3, { snapshotEvery: 10 }, 1, undefined, true);
    const leader = electLeader(sim);
    const lagging = others(sim, leader.id)[0] as number;
    sim.apply({ type: "crash", node: lagging });
    for (let k = 0; k < 25; k++) submit(sim, `k${k}=${k}`);
    const applied = leader.lastApplied;
    expect(leader.log.snapshotIndex).toBeGreaterThanOrEqual(20);
    expect(leader.log.length).toBeLessThan(10);
    sim.apply({ type: "restart", node: lagging });
    sim.runFor(500);
    sim.assertNoViolation();
    const follower = sim.node<RaftNode>(lagging) as RaftNode;
    expect(sim.trace.some((e) => e.kind === "deliver" && e.to === lagging && e.msg.type === "InstallSnapshot")).toBe(true);
    expect(follower.lastApplied).toBe(applied);
    expect(follower.kv.entries()).toEqual(leader.kv.entries());
  });

  it("keeps every invariant with snapshots under crashes and partitions", () => {
    for (let seed = 300; seed < 330; seed++) {
      const sim = randomRun({ seed, raft: { snapshotEvery: 3 }, rates: { crash: 1, partition: 1 } });
      sim.runUntilTime(3000);
      expect(sim.violation, sim.violationReport()).toBeUndefined();
      submit(sim, { type: "append", key: "final", value: "z;", seq: 1 }, "final");
      sim.runFor(300);
      expect(lostOrDuplicatedWrites(sim, mostApplied(sim)), `seed ${seed}`).toEqual([]);
    }
  });
});

describe("Raft snapshots across crashes of every server (6.5840 3D)", () => {
  const UNRELIABLE = { latency: { kind: "uniform", min: 1, max: 27 }, drop: 0.1 } as const;
  const crashAll = (sim: Simulation<RaftMessage>) => {
    for (const n of sim.nodeIds) sim.apply({ type: "crash", node: n });
    for (const n of sim.nodeIds) sim.apply({ type: "restart", node: n });
  };

  it("every server crashes and restarts from its snapshot and the log after it (TestSnapshotAllCrash3D)", () => {
    for (const seed of [41, 42, 43]) {
      const sim = checkedCluster(3, { snapshotEvery: 10 }, seed, UNRELIABLE);
      const rng = new Rng(seed);
      one(sim, `x=${rng.int(0, 1e6)}`, 3);
      for (let round = 0; round < 2; round++) {
        const count = 5 + rng.int(0, 9);
        for (let k = 0; k < count; k++) one(sim, `x=${rng.int(0, 1e6)}`, 3);
        const before = one(sim, "x=last", 3);
        crashAll(sim);
        // Back from disk: each server's snapshot and the entries after it, nothing committed forgotten.
        for (const n of raftNodes(sim)) expect(n.log.lastIndex, `seed ${seed}, server ${n.id}`).toBeGreaterThanOrEqual(before);
        const after = one(sim, `x=${rng.int(0, 1e6)}`, 3);
        expect(after, `seed ${seed}: the index went back from ${before} to ${after}`).toBeGreaterThan(before);
      }
      sim.assertNoViolation();
    }
  });

  it("a restarted server starts applying after its snapshot, and what it writes next survives another crash (TestSnapshotInit3D)", () => {
    for (const seed of [44, 45, 46]) {
      const sim = checkedCluster(3, { snapshotEvery: 10 }, seed, UNRELIABLE);
      const rng = new Rng(seed);
      one(sim, `x=${rng.int(0, 1e6)}`, 3);
      for (let k = 0; k < 11; k++) one(sim, `k${k}=${rng.int(0, 1e6)}`, 3);
      sim.runFor(300);
      const state = JSON.stringify(raftNodes(sim)[0]?.kv.entries());
      crashAll(sim);
      for (const n of raftNodes(sim)) {
        expect(n.log.snapshotIndex, `seed ${seed}, server ${n.id}`).toBeGreaterThanOrEqual(10);
        // The state machine is the snapshot's; entries it covers are not applied again.
        expect(n.lastApplied).toBe(n.log.snapshotIndex);
        expect(n.commitIndex).toBe(n.log.snapshotIndex);
      }
      one(sim, "after=1", 3);
      crashAll(sim);
      const last = one(sim, "after=2", 3);
      sim.runFor(300);
      sim.assertNoViolation();
      for (const n of raftNodes(sim)) {
        expect(n.lastApplied, `seed ${seed}, server ${n.id}`).toBeGreaterThanOrEqual(last);
        expect(n.kv.get("after")).toBe("2");
        expect(JSON.stringify({ ...n.kv.entries(), after: undefined })).toBe(JSON.stringify({ ...JSON.parse(state), after: undefined }));
      }
    }
  });
});

describe("Raft membership changes (single-server)", () => {
  function growingCluster(seed: number): Simulation<RaftMessage> {
    return new Simulation<RaftMessage>({
      seed,
      nodes: [0, 1, 2, 3, 4],
      createNode: createRaftNode({ members: [0, 1, 2], preVote: true, checkQuorum: true }),
      hooks: raftInvariants(),
      record: false,
    });
  }

  it("adds two servers one at a time, then removes the leader; a new leader carries on", () => {
    const sim = growingCluster(3);
    electLeader(sim);
    submit(sim, "a=1");
    expect(submit(sim, { type: "add-server", node: 3 }, "admin").ok).toBe(true);
    expect(submit(sim, { type: "add-server", node: 4 }, "admin").ok).toBe(true);
    sim.runFor(300);
    expect(raftNodes(sim).every((n) => n.members.length === 5 && n.kv.get("a") === "1")).toBe(true);
    const old = leaderOf(sim) as RaftNode;
    expect(submit(sim, { type: "remove-server", node: old.id }, "admin").ok).toBe(true);
    sim.runFor(1000);
    const now = leaderOf(sim) as RaftNode;
    expect(now.id).not.toBe(old.id);
    expect(now.members).not.toContain(old.id);
    submit(sim, "b=2");
    sim.runFor(300);
    expect(raftNodes(sim).filter((n) => n.id !== old.id).every((n) => n.kv.get("b") === "2")).toBe(true);
    sim.assertNoViolation();
  });

  it("stays safe when changes happen under crashes and partitions", () => {
    for (let seed = 1; seed <= 10; seed++) {
      const sim = new Simulation<RaftMessage>({
        seed,
        nodes: [0, 1, 2, 3, 4],
        createNode: createRaftNode({ members: [0, 1, 2, 3], preVote: true, checkQuorum: true }),
        hooks: raftInvariants(),
        record: false,
      });
      const changes = [{ type: "add-server", node: 4 }, { type: "remove-server", node: 0 }, { type: "remove-server", node: 1 }, { type: "add-server", node: 0 }];
      for (const [k, change] of changes.entries()) {
        sim.apply({ type: "crash", node: [1, 2, 3, 4, 0][(seed + k) % 5] as number });
        sim.runFor(400);
        const leader = leaderOf(sim);
        if (leader !== undefined) sim.request(leader.id, change, "admin");
        sim.request(leader?.id ?? 0, `k=${k}`);
        sim.runFor(400);
        sim.apply({ type: "restart", node: [1, 2, 3, 4, 0][(seed + k) % 5] as number });
        sim.runFor(600);
        expect(sim.violation, sim.violationReport()).toBeUndefined();
      }
      submit(sim, "final=1");
    }
  });
});

describe("Raft key-value store: sessions, ReadIndex, transfer", () => {
  it("applies a retried command exactly once thanks to its session number (§8)", () => {
    const sim = checkedCluster(3);
    const leader = electLeader(sim);
    const op = { type: "append", key: "list", value: "a;", seq: 1 };
    submit(sim, op, "alice");
    const before = leader.log.lastIndex;
    sim.request(leader.id, op, "alice"); // the retry of a command that already succeeded
    submit(sim, { type: "append", key: "list", value: "b;", seq: 2 }, "alice");
    sim.runFor(300);
    expect(raftNodes(sim).map((n) => n.kv.get("list"))).toEqual(["a;b;", "a;b;", "a;b;"]);
    // The retry went into the log (the leader cannot know it is one) but changed nothing when applied.
    expect(leader.log.lastIndex).toBe(before + 2);
  });

  it("serves linearizable reads through ReadIndex, and a deposed leader cannot answer one", () => {
    const sim = checkedCluster(5, {}, 21);
    const leader = electLeader(sim);
    submit(sim, "x=1");
    expect(submit(sim, { type: "get", key: "x" })).toEqual({ ok: true, value: "1" });
    const entries = leader.log.lastIndex;
    submit(sim, { type: "get", key: "x" });
    expect(leader.log.lastIndex).toBe(entries); // reads write nothing to the log
    // Cut the leader off; the majority elects a new one and writes x=2.
    sim.apply({ type: "isolate", node: leader.id });
    const stale = sim.request(leader.id, { type: "get", key: "x" });
    sim.runUntil(() => raftNodes(sim).some((n) => n.role === "leader" && n.id !== leader.id && n.currentTerm > leader.currentTerm), { timeout: 2000 });
    const fresh = raftNodes(sim).find((n) => n.role === "leader" && n.id !== leader.id) as RaftNode;
    const w = sim.request(fresh.id, "x=2");
    sim.runFor(500);
    expect((sim.requests.find((r) => r.request.id === w)?.result as ClientResult).ok).toBe(true);
    // The old leader still thinks it leads but cannot confirm it with a majority: no stale answer.
    expect(sim.requests.find((r) => r.request.id === stale)?.result).toBeUndefined();
    sim.apply({ type: "heal" });
    sim.runFor(500);
    expect((sim.requests.find((r) => r.request.id === stale)?.result as ClientResult | undefined)?.ok ?? false).toBe(false);
    expect(submit(sim, { type: "get", key: "x" })).toEqual({ ok: true, value: "2" });
  });

  it("transfers leadership to a chosen server within one election round", () => {
    const sim = checkedCluster(5, { preVote: true, checkQuorum: true }, 31);
    const leader = electLeader(sim);
    submit(sim, "x=1");
    const target = others(sim, leader.id)[2] as number;
    const at = sim.now;
    sim.request(leader.id, { type: "transfer", to: target });
    sim.runUntil(() => leaderOf(sim)?.id === target, { timeout: 1000 });
    expect(leaderOf(sim)?.id).toBe(target);
    expect(sim.now - at).toBeLessThan(100);
    expect(submit(sim, { type: "get", key: "x" })).toEqual({ ok: true, value: "1" });
  });
});
