// Log replication scenarios in the spirit of the classic Raft lab suite, plus message-cost checks read from the trace.

import { describe, expect, it } from "vitest";
import { Rng, type LinkConfig } from "@course/sim";
import { leaderOf, raftNodes, type AppendEntries, type AppendEntriesReply, type RaftNode } from "@course/raft";
import { bytesSent, checkedCluster, committedOn, electLeader, one, others, randomText, submit } from "./raft-lab.js";

describe("Raft log replication", () => {
  it("basic agreement: each command is committed at the same index on every server", () => {
    const sim = checkedCluster(5);
    const leader = electLeader(sim);
    sim.runFor(100);
    // The leader's first entry is its election no-op (§8); commands follow at the next indices.
    const first = leader.log.lastIndex + 1;
    expect(committedOn(sim, first).count, "nothing is committed before the command is submitted").toBe(0);
    for (let k = 1; k <= 3; k++) {
      const res = submit(sim, `x=${k}`);
      expect(res).toMatchObject({ ok: true, index: first + k - 1 });
      sim.runFor(200);
      const c = committedOn(sim, first + k - 1);
      expect(c.count).toBe(5);
      expect(c.commands.size).toBe(1);
    }
  });

  it("agreement despite a follower failure, and the follower catches up when it returns", () => {
    const sim = checkedCluster(3);
    const leader = electLeader(sim);
    submit(sim, "a=1");
    const follower = others(sim, leader.id)[0] as number;
    sim.apply({ type: "isolate", node: follower });
    submit(sim, "b=2");
    submit(sim, "c=3");
    expect(committedOn(sim, 3).count).toBeGreaterThanOrEqual(1);
    sim.apply({ type: "heal" });
    sim.runFor(500);
    expect(committedOn(sim, 3).count).toBe(3);
  });

  it("agreement after the leader fails: the new leader commits new commands", () => {
    const sim = checkedCluster(3, {}, 2);
    const leader = electLeader(sim);
    submit(sim, "a=1");
    sim.apply({ type: "crash", node: leader.id });
    submit(sim, "b=2");
    sim.apply({ type: "restart", node: leader.id });
    sim.runFor(1000);
    expect(committedOn(sim, 2).count).toBe(3);
  });

  it("no commit without a majority; the entries commit once the followers return", () => {
    const sim = checkedCluster(5, {}, 3);
    const leader = electLeader(sim);
    submit(sim, "a=1");
    const down = others(sim, leader.id).slice(0, 3);
    for (const n of down) sim.apply({ type: "isolate", node: n });
    const committed = leader.commitIndex;
    const id = sim.request(leader.id, "b=2");
    sim.runFor(1000);
    expect(sim.requests.find((r) => r.request.id === id)?.result).toBeUndefined();
    expect(leader.log.lastIndex).toBe(committed + 1);
    expect(leader.commitIndex).toBe(committed);
    sim.apply({ type: "heal" });
    sim.runFor(1500);
    sim.assertNoViolation();
    const now = leaderOf(sim) as RaftNode;
    submit(sim, "c=3");
    sim.runFor(300);
    expect(now.commitIndex).toBeGreaterThanOrEqual(committed + 1);
  });

  it("concurrent client requests each get their own index", () => {
    const sim = checkedCluster(3, {}, 5);
    const leader = electLeader(sim);
    const ids = [1, 2, 3, 4, 5].map((k) => sim.request(leader.id, `k${k}=${k}`));
    sim.runFor(500);
    const indices = ids.map((id) => (sim.requests.find((r) => r.request.id === id)?.result as { index: number }).index);
    expect(new Set(indices).size).toBe(5);
    expect(committedOn(sim, 5).count).toBe(3);
  });

  it("a partitioned old leader rejoins: its uncommitted entries are replaced by the new leader's", () => {
    const sim = checkedCluster(3, {}, 6);
    const old = electLeader(sim);
    submit(sim, "a=1");
    const before = old.log.lastIndex;
    sim.apply({ type: "isolate", node: old.id });
    for (const k of [1, 2, 3]) sim.request(old.id, `lost=${k}`);
    sim.runFor(100);
    expect(old.log.lastIndex).toBe(before + 3);
    submit(sim, "b=2");
    sim.apply({ type: "heal" });
    sim.runFor(1000);
    submit(sim, "c=3");
    sim.runFor(300);
    const logs = raftNodes(sim).map((n) => n.log.all().map((e) => JSON.stringify(e.command)).join("|"));
    expect(new Set(logs).size).toBe(1);
    expect(logs[0]).not.toContain("lost");
  });

  it("fast backup: a follower 50 conflicting entries behind is repaired in a few round trips, not 50", () => {
    const sim = checkedCluster(5, {}, 8, undefined, true);
    const leader1 = electLeader(sim);
    submit(sim, "base=0");
    // The leader and one follower take 50 entries that never commit.
    const buddy = others(sim, leader1.id)[0] as number;
    sim.apply({ type: "partition", groups: [[leader1.id, buddy]] });
    for (let k = 0; k < 50; k++) sim.request(leader1.id, `old=${k}`);
    sim.runFor(200);
    // The other three elect a leader and commit 50 entries of their own.
    sim.runUntil(() => raftNodes(sim).some((n) => n.role === "leader" && n.currentTerm > leader1.currentTerm), { timeout: 3000 });
    for (let k = 0; k < 50; k++) submit(sim, `new=${k}`);
    const healAt = sim.now;
    sim.apply({ type: "heal" });
    sim.runFor(1000);
    sim.assertNoViolation();
    expect(committedOn(sim, 51).count).toBe(5);
    // Consistency-check refusals only (they carry a hint); refusals of the deposed leader's stale term are no backup.
    const rejections = sim.trace.filter((e) => e.time >= healAt && e.kind === "deliver" && e.msg.type === "AppendEntriesReply" && !(e.msg as AppendEntriesReply).success && (e.msg as AppendEntriesReply).conflictIndex !== undefined);
    expect(rejections.length).toBeGreaterThan(0);
    expect(rejections.length).toBeLessThanOrEqual(6);
  });

  it("message cost: in steady state each command costs exactly 2(N-1) messages; idle heartbeats stay bounded", () => {
    const n = 5;
    const sim = checkedCluster(n, {}, 11, { latency: { kind: "fixed", ms: 2 } }, true);
    electLeader(sim);
    sim.runFor(500);
    const start = sim.trace.length;
    const leader = leaderOf(sim) as RaftNode;
    const commands = 10;
    for (let k = 0; k < commands; k++) {
      sim.request(leader.id, `x=${k}`);
      sim.runFor(100);
    }
    const events = sim.trace.slice(start);
    const carrying = events.filter((e) => e.kind === "send" && e.msg.type === "AppendEntries" && (e.msg as AppendEntries).entries.length > 0);
    const acks = events.filter((e) => e.kind === "send" && e.msg.type === "AppendEntriesReply" && (e.msg as AppendEntriesReply).appended > 0);
    expect(carrying.length).toBe(commands * (n - 1));
    expect(acks.length).toBe(commands * (n - 1));
    expect(carrying.every((e) => e.kind === "send" && (e.msg as AppendEntries).entries.length === 1)).toBe(true);
    // Idle: one heartbeat per follower per interval, plus its reply.
    const idleStart = sim.trace.length;
    sim.runFor(1000);
    const idle = sim.trace.slice(idleStart).filter((e) => e.kind === "send");
    expect(idle.length).toBeLessThanOrEqual(2 * (n - 1) * (1000 / 50 + 1));
    expect(idle.every((e) => e.kind === "send" && (e.msg.type === "AppendEntries" || e.msg.type === "AppendEntriesReply"))).toBe(true);
  });

  it("leader failure, twice (6.5840 TestLeaderFailure3B): two survive the first, one alone commits nothing", () => {
    const sim = checkedCluster(3, {}, 14);
    one(sim, "x=101", 3);
    const first = electLeader(sim);
    sim.apply({ type: "isolate", node: first.id });
    one(sim, "x=102", 2);
    sim.runFor(300);
    one(sim, "x=103", 2);
    const second = leaderOf(sim) as RaftNode;
    expect(second.id).not.toBe(first.id);
    sim.apply({ type: "isolate", node: second.id });
    // Every server is offered 104; the two cut-off ones may still think they lead and append it.
    for (const n of sim.nodeIds) sim.request(n, "x=104");
    sim.runFor(2000);
    sim.assertNoViolation();
    for (const n of raftNodes(sim)) {
      const committed = n.log.all().filter((e) => e.index <= n.commitIndex && e.command.kind === "client" && e.command.op.value === "104");
      expect(committed, `server ${n.id} committed x=104 with no majority`).toEqual([]);
      expect(n.kv.get("x"), `server ${n.id}`).not.toBe("104");
    }
    expect(second.kv.get("x")).toBe("103");
  });

  describe("bytes on the wire (6.5840 TestRPCBytes3B)", () => {
    const NETWORKS: ReadonlyArray<[string, Partial<LinkConfig>]> = [
      ["in-order links (5 ms)", { latency: { kind: "fixed", ms: 5 } }],
      ["reordering links (1-10 ms)", { latency: { kind: "uniform", min: 1, max: 10 } }],
    ];
    for (const [name, network] of NETWORKS) {
      it(`${name}: commands one after another, each 5,000 bytes, cross the wire once per follower (within 1.1x, the lab allows 3x + 50 KB)`, () => {
        const n = 3;
        const sim = checkedCluster(n, {}, 15, network);
        electLeader(sim);
        one(sim, "x=99", n);
        sim.runFor(100);
        const rng = new Rng(15);
        const before = bytesSent(sim);
        let data = 0;
        for (let k = 0; k < 10; k++) {
          const value = randomText(rng, 5000);
          data += value.length;
          one(sim, { type: "put", key: `k${k}`, value }, n);
        }
        const got = bytesSent(sim) - before;
        expect(got).toBeLessThanOrEqual(n * data + 50_000);
        expect(got / ((n - 1) * data)).toBeLessThanOrEqual(1.1);
        expect(got / ((n - 1) * data)).toBeGreaterThanOrEqual(1);
      });

      it(`${name}: twenty 5,000-byte commands sent back to back cost at most 1.1x their data per follower (pipelining)`, () => {
        const n = 3;
        for (const seed of [16, 17, 18]) {
          const sim = checkedCluster(n, {}, seed, network);
          const leader = electLeader(sim);
          one(sim, "x=99", n);
          sim.runFor(100);
          const rng = new Rng(seed);
          const before = bytesSent(sim);
          let data = 0;
          for (let k = 0; k < 20; k++) {
            const value = randomText(rng, 5000);
            data += value.length;
            sim.request(leader.id, { type: "put", key: `k${k}`, value });
          }
          expect(sim.runUntil(() => committedOn(sim, leader.log.lastIndex).count === n, { timeout: 3000 })).toBe(true);
          sim.assertNoViolation();
          const ratio = (bytesSent(sim) - before) / ((n - 1) * data);
          expect(ratio, `seed ${seed}`).toBeLessThanOrEqual(1.1);
          // Without pipelining each new command re-sends every entry not yet acknowledged.
          const unpipelined = checkedCluster(n, { pipeline: false }, seed, network);
          const l2 = electLeader(unpipelined);
          one(unpipelined, "x=99", n);
          unpipelined.runFor(100);
          const start = bytesSent(unpipelined);
          const rng2 = new Rng(seed);
          for (let k = 0; k < 20; k++) unpipelined.request(l2.id, { type: "put", key: `k${k}`, value: randomText(rng2, 5000) });
          unpipelined.runUntil(() => committedOn(unpipelined, l2.log.lastIndex).count === n, { timeout: 3000 });
          expect((bytesSent(unpipelined) - start) / ((n - 1) * data)).toBeGreaterThan(2);
        }
      });
    }
  });
});
