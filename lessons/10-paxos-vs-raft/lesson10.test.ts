// Lesson 10's scenarios reproduce, the checkers stay quiet, and every printed number comes from the trace.

import { describe, expect, it } from "vitest";
import type { TraceEvent } from "@course/sim";
import type { AppendEntries } from "@course/raft";
import type { Scenario } from "../lesson.js";
import { lesson10 } from "./index.js";
import { measureBasicPaxos } from "./cost-basic.js";
import { measureMultiPaxos } from "./cost-multi.js";
import { measureRaft } from "./cost-raft.js";
import { measureBasicContention } from "./contention-basic.js";
import { measureRaftContention } from "./contention-raft.js";
import { failoverMultiPaxos, measureMultiPaxosFailover, measureRaftFailover } from "./failover.js";
import type { MAccept, MultiPaxosMessage, MultiPaxosNode } from "@course/paxos";

const scenario = (id: string): Scenario => lesson10.scenarios.find((s) => s.id === id) ?? (() => { throw new Error(id); })();
const notes = (trace: readonly TraceEvent[]) => trace.filter((e): e is Extract<TraceEvent, { kind: "note" }> => e.kind === "note");
const sends = (trace: readonly TraceEvent[]) => trace.filter((e): e is Extract<TraceEvent, { kind: "send" }> => e.kind === "send");

describe("lesson 10: every scenario reproduces and stays safe", () => {
  for (const s of lesson10.scenarios) {
    for (const seed of [s.defaultSeed, 7]) {
      it(`${s.id} (seed ${seed})`, () => {
        const run = s.run({ seed });
        expect(JSON.stringify(s.run({ seed }).sim.trace), "same seed, same trace").toBe(JSON.stringify(run.sim.trace));
        run.sim.assertNoViolation();
        const all = notes(run.sim.trace);
        expect(all.at(-1)?.style).toBe("result");
        expect(all.at(-1)?.text).toBe(run.result);
        expect(all.some((n) => n.style === "heading" && n.label !== undefined)).toBe(true);
        expect(run.sim.trace.map((e) => s.describe?.(e)).filter((d) => d !== undefined).length).toBeGreaterThan(5);
        expect(run.result).not.toContain("?");
      });
    }
  }
});

describe("lesson 10: the numbers are the trace's", () => {
  it("Basic Paxos: the instance's messages are every message sent, by type, and the proposer learns after 4 delays", () => {
    const { sim, row, byType } = measureBasicPaxos(1);
    expect(row.messages[0]).toBe(sends(sim.trace).length);
    expect(row.network[0]).toBe(sends(sim.trace).filter((e) => e.from !== e.to).length);
    expect(byType).toEqual({ prepare: 5, promise: 5, accept: 5, accepted: 25 });
    expect(row.delays).toEqual([4]);
    expect(scenario("cost-basic-paxos").run({ seed: 1 }).result).toContain(`${row.messages[0]} messages per command (${row.network[0]} over the network), 4 message delays`);
  });

  it("Multi-Paxos: each steady command is its accepts and the accepted messages they caused, 2 delays", () => {
    const { sim, row } = measureMultiPaxos(1);
    const accepts = sends(sim.trace).filter((e) => e.msg.type === "accept").length;
    const accepted = sends(sim.trace).filter((e) => e.msg.type === "accepted").length;
    expect(row.messages.reduce((a, b) => a + b, 0)).toBe(accepts + accepted);
    expect(row.delays.every((d) => d === 2)).toBe(true);
  });

  it("Raft: each command's AppendEntries with entries and their replies, 2 delays, and the leader is in every message", () => {
    const { sim, row } = measureRaft(1);
    // Messages carrying a client's command (the leader's election no-op goes out before the measurement starts).
    const withEntries = sends(sim.trace).filter((e) => e.msg.type === "AppendEntries" && (e.msg as AppendEntries).entries.some((x) => x.command.kind === "client")).length;
    const total = row.messages.reduce((a, b) => a + b, 0);
    expect(total).toBe(2 * withEntries);
    expect(row.delays.every((d) => d === 2)).toBe(true);
    expect(row.traffic.share).toBe(1);
    const leaderLoad = row.traffic.perNode.get(row.hub) ?? 0;
    const others = [...row.traffic.perNode.entries()].filter(([n]) => n !== row.hub).reduce((a, [, c]) => a + c, 0);
    expect(leaderLoad).toBe(others); // every message has the leader at one end and a follower at the other
    expect(scenario("cost-raft").run({ seed: 1 }).result).toContain("Raft 100%");
  });

  it("contention: Basic Paxos loses rounds to pre-emption and chooses one value; Raft commits both with none lost", () => {
    for (const seed of [1, 7]) {
      const basic = measureBasicContention(seed);
      const nacks = basic.sim.trace.filter((e) => e.kind === "deliver" && e.msg.type === "nack").length;
      expect(nacks).toBeGreaterThan(0);
      expect(basic.result.preempted.reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
      expect(basic.result.committed.length).toBe(1);
      const raft = measureRaftContention(seed);
      expect([...raft.result.committed].sort()).toEqual(["a", "b"]);
      expect(raft.sim.trace.filter((e) => e.kind === "client-reply" && (e.result as { error?: string }).error === "not-leader").length).toBe(2);
    }
  });

  it("failover: the outage is measured from the crash to the new leader's first answer", () => {
    for (const measure of [measureMultiPaxosFailover, measureRaftFailover]) {
      const { sim, result } = measure(1);
      const crash = sim.trace.find((e) => e.kind === "crash");
      expect(crash?.time).toBe(result.crashAt);
      const lastReply = sim.trace.filter((e) => e.kind === "client-reply").at(-1);
      expect(lastReply?.time).toBe(result.committedAt);
      expect(result.detectedAt).toBeGreaterThan(result.crashAt);
      expect(result.leaderAt).toBeGreaterThanOrEqual(result.detectedAt as number);
      expect(result.committedAt).toBeGreaterThan(result.leaderAt as number);
    }
  });
});

describe("lesson 10: a Multi-Paxos failover that puts the command in the log twice", () => {
  // Seed 49: two survivors campaign; the one that wins last finds x=2 in an open slot, and the one it deposed forwards it too.
  const SEED = 49;
  it("narrates the copies, and the state machines execute the command once", () => {
    const { sim, result } = measureMultiPaxosFailover(SEED);
    expect(result.copies).toBe(2);
    expect(result.executions).toBe(1);
    const by = result.answeredBy as number;
    const deposed = result.newLeader as number;
    expect(by).not.toBe(deposed);
    const x2 = (m: MultiPaxosMessage) => (m.type === "accept" ? m.v?.op : m.type === "forward" ? m.command.op : undefined) === "x=2";
    const accepts = sends(sim.trace).filter((e) => e.from === by && e.to === by && e.msg.type === "accept" && x2(e.msg as MultiPaxosMessage));
    expect(new Set(accepts.map((e) => (e.msg as MAccept).slot)).size).toBe(2);
    expect(sends(sim.trace).some((e) => e.from === deposed && e.to === by && e.msg.type === "forward" && x2(e.msg as MultiPaxosMessage))).toBe(true);
    // Every survivor (node 0 crashed) that applied the first copy executed it there, and no later copy.
    for (const id of [1, 2, 3, 4]) {
      const view = sim.node<MultiPaxosNode>(id)?.inspect();
      const slots = (view?.log ?? []).flatMap((c, slot) => (c?.op === "x=2" ? [slot] : []));
      expect(slots.length, `node ${id}`).toBeGreaterThan(0);
      expect((view?.executed ?? []).filter((slot) => slots.includes(slot))).toEqual([slots[0]]);
    }
    const story = notes(failoverMultiPaxos.run({ seed: SEED }).sim.trace).map((n) => n.text).join("\n");
    expect(story).toContain(`The command is now in the log 2 times: node ${by} found it in an open slot and proposed it again, and node ${deposed}, stepping down, also handed it over`);
    expect(story).toContain(`so node ${by} recognized the later ones as duplicates: it executed the command once.`);
  });
});
