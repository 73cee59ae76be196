// Lesson 10's scenarios reproduce, the checkers stay quiet, and every printed number comes from the trace.

import { readFileSync } from "node:fs";
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
import { contentionSpreadLine, contentionSpreads, costSpreadLine, costSpreads, failoverSpreadLine, failoverSpreads, perCommandLine } from "./distributions.js";
import { decimal, SEEDS } from "./seeds.js";

const scenario = (id: string): Scenario => lesson10.scenarios.find((s) => s.id === id) ?? (() => { throw new Error(id); })();
const notes = (trace: readonly TraceEvent[]) => trace.filter((e): e is Extract<TraceEvent, { kind: "note" }> => e.kind === "note");
/** Markdown as one line: line breaks and indentation become single spaces. */
const oneLine = (text: string) => text.replace(/\s+/g, " ");
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

describe("lesson 10: distributions over seeds, in the narration, the README and the page", () => {
  const readme = oneLine(readFileSync(new URL("./README.md", import.meta.url), "utf8"));
  const page = oneLine(readFileSync(new URL("../../docs/src/lessons/10.md", import.meta.url), "utf8"));
  const costs = costSpreads();

  it("every protocol costs the same messages and delays on every seed; Raft without pipelining does not", () => {
    expect([costs.basic.messages, costs.basic.network, costs.basic.delays].map((s) => [s.min, s.max])).toEqual([[40, 40], [32, 32], [4, 4]]);
    expect([costs.multi.messages, costs.multi.delays].map((s) => [s.min, s.max])).toEqual([[30, 30], [2, 2]]);
    expect([costs.raft.messages, costs.raft.delays].map((s) => [s.min, s.max])).toEqual([[8, 8], [2, 2]]);
    expect([...costs.basic.perCommand.keys(), ...costs.multi.perCommand.keys(), ...costs.raft.perCommand.keys()]).toEqual([40, 30, 8]);
    expect([costs.raft.leaderShare.min, costs.raft.leaderShare.max]).toEqual([1, 1]);
    const off = costs.raftUnpipelined;
    expect([off.delays.min, off.delays.max]).toEqual([2, 2]);
    expect(off.messages.max).toBeGreaterThan(off.messages.min);
    // "every send repeats the entries a follower has not acknowledged": 8, and 2 more per follower a heartbeat reached first
    for (const n of off.perCommand.keys()) expect((n - 8) % 2 === 0 && n >= 8 && n <= 16, `${n} messages`).toBe(true);
  });

  it("with pipelining, a heartbeat that falls due before an acknowledgment carries no entry", () => {
    let early = 0;
    for (let seed = 1; seed <= 20; seed++) {
      const { sim } = measureRaft(seed);
      for (const e of sends(sim.trace).filter((x) => x.msg.type === "AppendEntries" && sim.trace.some((t) => t.kind === "timer" && t.name === "heartbeat" && t.step === x.step))) {
        const unacknowledged = sim.trace.some((x) => x.kind === "send" && x.msg.type === "AppendEntries" && x.to === e.to && x.seq < e.seq && (x.msg as AppendEntries).entries.length > 0 && !sim.trace.some((r) => r.kind === "deliver" && r.msg.type === "AppendEntriesReply" && r.from === e.to && r.seq > x.seq && r.seq < e.seq));
        if (unacknowledged) early++;
        expect((e.msg as AppendEntries).entries, `seed ${seed}: heartbeat to ${e.to} at ${e.time}`).toEqual([]);
      }
    }
    expect(early, "some heartbeat fell due before an acknowledgment").toBeGreaterThan(0);
  });

  it("without pipelining, a Raft command's messages beyond 8 are heartbeats carrying its entry again to followers that had not acknowledged it, and their answers", () => {
    let checked = 0;
    for (let seed = 1; seed <= 20; seed++) {
      const { sim, row } = measureRaft(seed, false, { pipeline: false });
      // Each command's window runs from its request to the next one; the messages it caused carry its entry.
      const requests = sim.trace.filter((e) => e.kind === "client-request").map((e) => e.seq);
      row.messages.forEach((count, i) => {
        const from = requests[i] as number;
        const to = requests[i + 1] ?? Infinity;
        const index = (sim.requests[i]?.result as { index?: number } | undefined)?.index;
        const sent = sends(sim.trace).filter((e) => e.seq > from && e.seq < to && e.msg.type === "AppendEntries" && (e.msg as AppendEntries).entries.some((x) => x.index === index));
        expect(2 * sent.length, `seed ${seed}, command ${i + 1}`).toBe(count);
        const firstStep = sent[0]?.step;
        expect(sent.filter((e) => e.step === firstStep).length, `seed ${seed}, command ${i + 1}: one copy to each follower at first`).toBe(4);
        for (const e of sent.filter((x) => x.step !== firstStep)) {
          // Sent when the leader's heartbeat timer fired, to a follower that had not yet acknowledged its first copy.
          const cause = sim.trace.find((x) => x.step === e.step && x.kind === "timer");
          expect(cause?.kind === "timer" && cause.name, `seed ${seed}: resend to ${e.to}`).toBe("heartbeat");
          const acked = sim.trace.some((x) => x.kind === "deliver" && x.msg.type === "AppendEntriesReply" && x.from === e.to && x.seq > from && x.seq < e.seq);
          expect(acked, `seed ${seed}: follower ${e.to} had acknowledged`).toBe(false);
          checked++;
        }
      });
    }
    expect(checked).toBeGreaterThan(0);
  });

  it("the cost-raft scenario prints the three distributions and the per-command counts", () => {
    const story = notes(scenario("cost-raft").run({ seed: 1 }).sim.trace).map((n) => n.text);
    for (const c of [costs.basic, costs.multi, costs.raft]) expect(story).toContain(costSpreadLine(c));
    expect(story.join("\n")).toContain(`Per Raft command: ${perCommandLine(costs.raft)}.`);
    expect(story.join("\n")).toContain(`per command, ${perCommandLine(costs.raftUnpipelined)}.`);
  });

  it("the README and the page quote the measured costs", () => {
    const off = costs.raftUnpipelined.messages;
    const unpipelined = `a median of ${decimal(off.median)} messages per command (${decimal(off.min)} to ${decimal(off.max)})`;
    expect(readme).toContain(`${costs.basic.messages.min} messages per command (${costs.basic.network.min} over the network) and ${costs.basic.delays.min} message delays, the same on all ${SEEDS} seeds measured`);
    expect(readme).toContain(`${costs.multi.messages.min} messages per command and ${costs.multi.delays.min} message delays on all ${SEEDS} seeds`);
    expect(readme).toContain(`one AppendEntries and one reply per follower, ${costs.raft.messages.min} messages per command and ${costs.raft.delays.min} message delays on all ${SEEDS} seeds`);
    expect(readme).toContain(`over seeds 1 to ${SEEDS}, a run's average was ${unpipelined}`);
    expect(page).toContain(`every command took ${costs.basic.delays.min} message delays in Basic Paxos and ${costs.multi.delays.min} in Multi-Paxos and Raft, and cost ${costs.basic.messages.min} messages in Basic Paxos, ${costs.multi.messages.min} in Multi-Paxos and ${costs.raft.messages.min} in Raft, on every seed`);
    expect(page).toContain(`a run's average was ${unpipelined}`);
  });

  it("the README quotes the measured contention, and the contention-raft scenario prints it", () => {
    const c = contentionSpreads();
    expect([c.basicChosen.min, c.basicChosen.max, c.raftCommitted.min, c.raftCommitted.max]).toEqual([1, 1, 2, 2]);
    expect(readme).toContain(`Basic Paxos lost ${c.basicLost.min} to ${c.basicLost.max} rounds (a median of ${c.basicLost.median}) and chose one value on every seed, while Raft committed both commands on every seed`);
    expect(notes(scenario("contention-raft").run({ seed: 1 }).sim.trace).map((n) => n.text)).toContain(contentionSpreadLine(c));
  });

  it("the README and the page quote the measured failovers; the wait for a timeout is most of each outage and of the difference", () => {
    const f = failoverSpreads();
    const quoted = `lasted a median of ${Math.round(f.multiOutage.median)} ms in Multi-Paxos and ${Math.round(f.raftOutage.median)} ms in Raft, and Raft recovered first on ${f.raftFaster} seeds`;
    expect(readme).toContain(`the outage ${quoted}`);
    expect(page).toContain(`the outage ${quoted}`);
    expect(f.multiDetection.median / f.multiOutage.median).toBeGreaterThan(0.8);
    expect(f.raftDetection.median / f.raftOutage.median).toBeGreaterThan(0.8);
    expect(Math.abs(f.multiTakeover.median - f.raftTakeover.median)).toBeLessThan(Math.abs(f.multiDetection.median - f.raftDetection.median));
    // "its followers' timers had been running longer when the leader crashed, because Raft's heartbeats are further apart"
    expect(f.raftTimerAge.median).toBeGreaterThan(f.multiTimerAge.median);
    const heartbeatGap = (trace: readonly TraceEvent[]) => {
      const times = trace.filter((e) => e.kind === "timer" && e.name === "heartbeat" && e.node === 0).map((e) => e.time);
      return new Set(times.slice(1).map((t, i) => Math.round(t - (times[i] as number))));
    };
    expect(heartbeatGap(measureMultiPaxosFailover(1).sim.trace)).toEqual(new Set([30]));
    expect(heartbeatGap(measureRaftFailover(1).sim.trace)).toEqual(new Set([50]));
    const story = notes(scenario("failover-raft").run({ seed: 1 }).sim.trace).map((n) => n.text);
    expect(story).toContain(failoverSpreadLine(f));
    expect(story.join("\n")).toContain("this Multi-Paxos leader sends a heartbeat every 30 ms, Raft's every 50 ms");
  });
});
