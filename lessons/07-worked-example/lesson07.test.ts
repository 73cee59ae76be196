// Lesson 7 plays the seed's nine steps in order; a jump to each step's label shows the state its heading describes.

import { describe, expect, it } from "vitest";
import type { TraceEvent } from "@course/sim";
import type { AppendEntries, AppendEntriesReply, RaftNode, RequestVote, RequestVoteReply } from "@course/raft";
import { labelTests, type LabelState } from "../label-checks.js";
import { answerOf, checkRaftRun, raftServer } from "../05-leader-election/raft-checks.js";
import { lesson07 } from "./index.js";
import { playNineSteps } from "./nine-steps.js";

const scenario = lesson07.scenarios[0] as (typeof lesson07.scenarios)[number];
const SERVERS = [1, 2, 3, 4, 5];
const FOLLOWERS = [2, 3, 4];
type Send = Extract<TraceEvent, { kind: "send" }>;
type Deliver = Extract<TraceEvent, { kind: "deliver" }>;
const at = (s: LabelState, id: number) => raftServer(s.sim, id) as RaftNode;
const sends = (trace: readonly TraceEvent[], type: string) => trace.filter((e): e is Send => e.kind === "send" && e.msg.type === type);
const labelSeq = (s: LabelState, label: string) => s.trace.find((e) => e.kind === "note" && e.label === label)?.seq ?? -1;
const logOf = (n: RaftNode | undefined) => n?.log.all().map((e) => `${e.index}@${e.term}`).join(" ");
/** The AppendEntries a refusal answered: delivered to the refusing server in the step in which it sent the refusal. */
const refusedBy = (trace: readonly TraceEvent[], refusal: Send) =>
  trace.find((e): e is Deliver => e.kind === "deliver" && e.to === refusal.from && e.step === refusal.step && e.msg.type === "AppendEntries")?.msg as AppendEntries | undefined;

describe("lesson 7: the worked example", () => {
  for (const seed of [7, 1, 2, 3]) {
    it(`plays the nine steps in order and ends with every log the same (seed ${seed})`, () => {
      const run = checkRaftRun(scenario, seed);
      const labels = run.sim.trace.flatMap((e) => (e.kind === "note" && e.label !== undefined ? [e.label] : []));
      expect(labels).toEqual([...Array.from({ length: 9 }, (_, k) => `step-${k + 1}`), "server-1-returns"]);
      expect(run.result).toContain("server 1 led term 1 (votes from 2 and 3)");
      expect(run.result).toMatch(/server [2-5] leads term 2; every server's log is \[1:x=1@1 2:x=2@2\]; commit index 2\/2\/2\/2\/2; 2 of 2 commands answered\.$/);
    });
  }

  it("runs without the election no-op, as the example does; with it, the command would be entry 2 and step 9's leader would put a no-op before x=2", () => {
    expect((raftServer(scenario.run({ seed: 7 }).sim, 1) as RaftNode).options.noopOnElection).toBe(false);
    const { sim } = playNineSteps(7, true);
    expect(sim.violation).toBeUndefined();
    const step4 = sim.trace.find((e) => e.kind === "note" && e.label === "step-4");
    expect(step4?.kind === "note" && step4.text).toContain("Server 1 appends x=1 to its log as entry 2");
    const leader = [2, 3, 4, 5].map((id) => raftServer(sim, id) as RaftNode).find((n) => n.role === "leader") as RaftNode;
    expect(leader.log.all().map((e) => [e.index, e.term, e.command.kind])).toEqual([[1, 1, "noop"], [2, 1, "client"], [3, 2, "noop"], [4, 2, "client"]]);
  });

  it("changes step 9's winner with the seed, and nothing else about the order of the steps", () => {
    const winners = new Set<number>();
    for (let seed = 1; seed <= 12; seed++) {
      const run = scenario.run({ seed });
      expect(run.sim.violation, `seed ${seed}`).toBeUndefined();
      winners.add(Number(/server (\d) leads term 2/.exec(run.result)?.[1]));
    }
    expect(winners.size).toBeGreaterThanOrEqual(2);
  });

  it("what the page asks the reader to try: crashing servers 2 and 3 at step 4 leaves entry 1 uncommitted until one returns", () => {
    const run = scenario.run({ seed: 7 });
    const step4 = run.sim.trace.find((e) => e.kind === "note" && e.label === "step-4") as TraceEvent;
    run.sim.rewind(step4.step);
    run.sim.apply({ type: "crash", node: 2 });
    run.sim.apply({ type: "crash", node: 3 });
    run.sim.runFor(300);
    const leader = raftServer(run.sim, 1) as RaftNode;
    expect([leader.role, leader.commitIndex, leader.matchIndex.get(4)]).toEqual(["leader", 0, 1]);
    expect(run.sim.trace.filter((e) => e.kind === "drop" && e.reason === "crashed" && (e.msg as AppendEntries).entries?.length === 1).map((e) => (e.kind === "drop" ? e.to : 0)).sort()).toEqual([2, 3, 5]);
    const restart = run.sim.trace.length;
    run.sim.apply({ type: "restart", node: 2 });
    run.sim.runFor(200);
    expect(leader.commitIndex).toBe(1);
    expect(sends(run.sim.trace.slice(restart), "AppendEntriesReply").filter((e) => e.from === 2).map((e) => (e.msg as AppendEntriesReply).success)).toEqual([false, true, ...Array(sends(run.sim.trace.slice(restart), "AppendEntriesReply").filter((e) => e.from === 2).length - 2).fill(true)]);
    expect(run.sim.violation).toBeUndefined();
  });

  // A reader's action on the page forks the run: the scenario's own later actions no longer happen (as after a rewind here).
  it("what the page asks the reader to try: with the link to server 4 cut at step 3 and a request sent, nextIndex moves past the entry and matchIndex stays at 0", () => {
    const run = scenario.run({ seed: 7 });
    const step3 = run.sim.trace.find((e) => e.kind === "note" && e.label === "step-3") as TraceEvent;
    run.sim.rewind(step3.step);
    run.sim.apply({ type: "cut", from: 1, to: 4 });
    run.sim.apply({ type: "cut", from: 4, to: 1 });
    run.sim.runFor(100);
    run.sim.request(1, "x=1");
    run.sim.runFor(200);
    const leader = raftServer(run.sim, 1) as RaftNode;
    expect([leader.nextIndex.get(4), leader.matchIndex.get(4), leader.commitIndex]).toEqual([2, 0, 1]);
  });

  const checks = {
    "step-1": (s: LabelState) => {
      expect([at(s, 1).role, at(s, 1).currentTerm, at(s, 1).votedFor]).toEqual(["candidate", 1, 1]);
      for (const id of [2, 3, 4, 5]) expect([at(s, id).role, at(s, id).currentTerm], `server ${id}`).toEqual(["follower", 0]);
    },
    "step-2": (s: LabelState) => {
      for (const id of FOLLOWERS) expect([at(s, id).currentTerm, at(s, id).votedFor], `server ${id}`).toEqual([1, 1]);
      expect([at(s, 5).role, at(s, 5).currentTerm, at(s, 5).votedFor]).toEqual(["candidate", 1, 5]);
      expect(at(s, 1).role).toBe("candidate");
      const replies = sends(s.sim.trace, "RequestVoteReply").map((e) => [e.from, e.to, (e.msg as RequestVoteReply).voteGranted]);
      expect(replies.filter(([, to]) => to === 1).sort()).toEqual([[2, 1, true], [3, 1, true], [4, 1, true], [5, 1, false]]);
      expect(replies.filter(([from, to]) => to === 5 && from !== 1).sort()).toEqual([[2, 5, false], [3, 5, false], [4, 5, false]]);
    },
    "step-3": (s: LabelState) => {
      expect([at(s, 1).role, at(s, 1).currentTerm]).toEqual(["leader", 1]);
      const votes = s.sim.trace.filter((e) => e.kind === "deliver" && e.to === 1 && e.msg.type === "RequestVoteReply" && (e.msg as RequestVoteReply).voteGranted);
      expect(votes.length + 1).toBe(3);
      const beats = sends(s.sim.trace, "AppendEntries").filter((e) => e.step === s.note.step);
      expect(beats.map((e) => e.to).sort()).toEqual([2, 3, 4, 5]);
      expect(beats.every((e) => (e.msg as AppendEntries).entries.length === 0)).toBe(true);
    },
    "step-4": (s: LabelState) => {
      expect(logOf(at(s, 1))).toBe("1@1");
      expect(s.sim.storage(1).get<{ index: number; term: number }>("entry:1")).toMatchObject({ index: 1, term: 1 });
      expect(at(s, 1).commitIndex).toBe(0);
      for (const id of FOLLOWERS) expect(at(s, id).log.lastIndex).toBe(0);
      expect(s.sim.isUp(5)).toBe(false);
      const carrying = sends(s.sim.trace, "AppendEntries").filter((e) => (e.msg as AppendEntries).entries.some((x) => x.index === 1));
      expect(carrying.map((e) => e.to).sort()).toEqual([2, 3, 4, 5]);
    },
    "step-5": (s: LabelState) => {
      for (const id of FOLLOWERS) expect(logOf(at(s, id)), `server ${id}`).toBe("1@1");
      const acks = sends(s.sim.trace, "AppendEntriesReply").filter((e) => (e.msg as AppendEntriesReply).success && (e.msg as AppendEntriesReply).matchIndex === 1);
      expect(acks.map((e) => e.from).sort()).toEqual(FOLLOWERS);
      expect(at(s, 1).commitIndex).toBe(0);
      expect(s.sim.trace.some((e) => e.kind === "drop" && e.to === 5 && e.reason === "crashed" && (e.msg as AppendEntries).entries?.length === 1)).toBe(true);
    },
    "step-6": (s: LabelState) => {
      expect([at(s, 1).commitIndex, at(s, 1).lastApplied, at(s, 1).kv.get("x")]).toEqual([1, 1, "1"]);
      expect(answerOf(s.sim, 0)?.result).toEqual({ ok: true, index: 1, value: "1" });
      for (const id of FOLLOWERS) expect(at(s, id).commitIndex, `server ${id}`).toBe(0);
      const acked = FOLLOWERS.filter((id) => (at(s, 1).matchIndex.get(id) ?? 0) >= 1);
      expect(acked).toHaveLength(2);
      expect(s.note.text).toContain(`acknowledgments from servers ${acked.join(" and ")}: with its own copy, 3 of 5`);
    },
    "step-7": (s: LabelState) => {
      for (const id of [1, ...FOLLOWERS]) expect([at(s, id).commitIndex, at(s, id).kv.get("x")], `server ${id}`).toEqual([1, "1"]);
      expect(s.sim.isUp(5)).toBe(false);
      // The followers learned it from a heartbeat: an AppendEntries without entries carrying commit index 1.
      const told = s.sim.trace.filter((e) => e.kind === "deliver" && e.from === 1 && e.msg.type === "AppendEntries" && (e.msg as AppendEntries).leaderCommit === 1);
      expect(told.every((e) => e.kind === "deliver" && (e.msg as AppendEntries).entries.length === 0)).toBe(true);
      expect(new Set(told.map((e) => (e.kind === "deliver" ? e.to : 0)))).toEqual(new Set(FOLLOWERS));
    },
    "step-8": (s: LabelState) => {
      expect(s.sim.isUp(5)).toBe(true);
      expect([logOf(at(s, 5)), at(s, 5).commitIndex, at(s, 5).kv.get("x")]).toEqual(["1@1", 1, "1"]);
      const back = s.sim.trace.findIndex((e) => e.kind === "restart" && e.node === 5);
      const refusal = s.sim.trace.slice(back).find((e): e is Send => e.kind === "send" && e.from === 5 && e.msg.type === "AppendEntriesReply" && !(e.msg as AppendEntriesReply).success);
      expect(refusal?.msg).toMatchObject({ success: false, conflictIndex: 1 });
      const refused = refusedBy(s.sim.trace, refusal as Send);
      expect([refused?.prevLogIndex, refused?.prevLogTerm, refused?.entries.length]).toEqual([1, 1, 0]);
      // The backup: after the refusal, the leader sends entry 1 from index 1, with its commit index.
      const repair = sends(s.sim.trace, "AppendEntries").find((e) => e.to === 5 && e.seq > (refusal?.seq ?? Infinity) && (e.msg as AppendEntries).entries.length > 0);
      expect([(repair?.msg as AppendEntries).prevLogIndex, (repair?.msg as AppendEntries).entries.map((x) => x.index), (repair?.msg as AppendEntries).leaderCommit]).toEqual([0, [1], 1]);
    },
    "step-9": (s: LabelState) => {
      expect(s.sim.isUp(1)).toBe(false);
      const leader = [2, 3, 4, 5].map((id) => at(s, id)).find((n) => n.role === "leader") as RaftNode;
      expect([leader.currentTerm, leader.commitIndex, logOf(leader)]).toEqual([2, 2, "1@1 2@2"]);
      const x2 = sends(s.sim.trace, "AppendEntries").filter((e) => e.from === leader.id && (e.msg as AppendEntries).entries.some((x) => x.index === 2));
      expect(x2.every((e) => (e.msg as AppendEntries).prevLogIndex === 1 && (e.msg as AppendEntries).prevLogTerm === 1)).toBe(true);
      const stored = [2, 3, 4, 5].filter((id) => id !== leader.id && at(s, id).log.lastIndex === 2);
      expect(stored.length + 1).toBeGreaterThanOrEqual(3);
      expect(s.note.text).toContain(`servers ${stored.join(", ").replace(/, (\d)$/, " and $1")} found that entry`);
      expect(s.note.text).toContain(`Server ${leader.id} timed out first and won term 2`);
      expect(sends(s.sim.trace, "RequestVote").find((e) => (e.msg as RequestVote).term === 2)?.from).toBe(leader.id);
      // Every live log is the leader's; and when server 1 crashed, every other log held the same entries, so any could win.
      expect(new Set([2, 3, 4, 5].map((id) => logOf(at(s, id))))).toEqual(new Set(["1@1 2@2"]));
      const crashed = s.sim.trace.find((e) => e.kind === "crash" && e.node === 1 && e.seq > labelSeq(s, "step-8"));
      const logsAtCrash = [2, 3, 4, 5].map((id) => [...s.sim.trace].reverse().find((e) => e.kind === "state" && e.node === id && e.seq < (crashed?.seq ?? 0)));
      expect(new Set(logsAtCrash.map((e) => JSON.stringify(e?.kind === "state" && (e.view as { log: unknown }).log)))).toHaveProperty("size", 1);
    },
    "server-1-returns": (s: LabelState) => {
      expect([at(s, 1).role, at(s, 1).currentTerm, logOf(at(s, 1))]).toEqual(["follower", 2, "1@1 2@2"]);
      const back = s.sim.trace.findIndex((e) => e.kind === "restart" && e.node === 1);
      expect(sends(s.sim.trace.slice(back), "AppendEntriesReply").some((e) => e.from === 1 && !(e.msg as AppendEntriesReply).success)).toBe(true);
    },
  };
  labelTests(scenario, checks);
  labelTests(scenario, checks, { seed: 1 });
});
