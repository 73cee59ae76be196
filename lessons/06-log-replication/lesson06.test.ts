// Lesson 6 reproduces the seed's toy run exactly and says where it differs from Raft; then real Raft's consistency check, commit and repair.

import { describe, expect, it } from "vitest";
import type { TraceEvent } from "@course/sim";
import { formatCommand, majority, type AppendEntries, type AppendEntriesReply, type RaftNode } from "@course/raft";
import { scenarioById } from "../03-paxos-failures/scenario-checks.js";
import { labelTests, type LabelState } from "../label-checks.js";
import { FIVE } from "../05-leader-election/cluster.js";
import { checkRaftRun, raftServer } from "../05-leader-election/raft-checks.js";
import { lesson06 } from "./index.js";
import { refusalsFrom } from "./real-raft.js";
import { logText } from "./repair.js";
import type { ToyView } from "./toy-raft.js";

const scenario = (id: string) => scenarioById(lesson06, id);
type Send = Extract<TraceEvent, { kind: "send" }>;
const narration = (id: string, trace: readonly TraceEvent[]) => trace.map((e) => (e.kind === "note" ? e.text : scenario(id).describe?.(e))).filter((l): l is string => l !== undefined);
const at = (s: LabelState, id: number) => raftServer(s.sim, id) as RaftNode;
const toy = (s: LabelState) => s.sim.node(2)?.view?.() as ToyView;
const appendSends = (trace: readonly TraceEvent[], to: number) => trace.filter((e): e is Send => e.kind === "send" && e.to === to && e.msg.type === "AppendEntries");

describe("lesson 6: the seed's toy run", () => {
  const s = scenario("seed-demo");
  it("reproduces the seed's output line for line: votes from 0 and 4, x=1 to 0 only, x=2 to 0 and 4, x=3 to 0 only", () => {
    const run = s.run({ seed: 1 });
    const lines = narration("seed-demo", run.sim.trace);
    const want = [
      "Alive nodes: [0, 2, 4]",
      "  Node 0: votes for candidate 2 (term 1)",
      "  Node 4: votes for candidate 2 (term 1)",
      "Node 2 is leader with 3/5 votes (term 1).",
      "  Follower 0: appended 'x=1' at log[0] (term 1)",
      "-> not committed 'x=1' (acks=2, need 3)",
      "  Follower 0: appended 'x=2' at log[1] (term 1)",
      "  Follower 4: appended 'x=2' at log[1] (term 1)",
      "-> committed 'x=2' with 3/5 acks",
      "  Follower 0: appended 'x=3' at log[2] (term 1)",
      "-> not committed 'x=3' (acks=2, need 3)",
    ];
    expect(lines.filter((l) => want.includes(l))).toEqual(want);
    expect(run.result).toBe("leader=2, chosen_sequence=[None, 'x=2', None], msgs=6");
  });

  it("counts the messages the toy sent, and real Raft's run sends more", () => {
    const trace = s.run({ seed: 1 }).sim.trace;
    const sent = trace.filter((e) => e.kind === "send").length;
    const repliesSent = trace.filter((e) => e.kind === "send" && (e.msg.type === "ToyVote" || e.msg.type === "ToyAck")).length;
    const lost = trace.filter((e) => e.kind === "drop").length;
    const arrived = trace.filter((e) => e.kind === "deliver" && (e.msg.type === "ToyVoteRequest" || e.msg.type === "ToyAppend")).length;
    expect(arrived + repliesSent + lost).toBe(sent);
    const note = trace.find((e) => e.kind === "note" && e.label === "msgs");
    expect(note?.kind === "note" && note.text).toContain(`"msgs=${arrived}" counts only the vote requests and appends that arrived. The toy sent ${sent} messages in all: ${repliesSent} of them votes and acknowledgments, and ${lost} lost`);
    expect(scenario("real-raft").run({ seed: 1 }).sim.trace.filter((e) => e.kind === "send").length).toBeGreaterThan(sent);
  });

  labelTests(s, {
    alive: (l) => expect(l.sim.nodeIds.filter((id) => l.sim.isUp(id))).toEqual([0, 2, 4]),
    election: (l) => expect([toy(l).role, toy(l).votes, toy(l).term]).toEqual(["leader", 3, 1]),
    "propose-0": (l) => {
      expect(toy(l).log).toEqual(["x=1"]);
      expect(toy(l).committed).toEqual([false]);
      expect((l.sim.node(4)?.view?.() as ToyView).log).toEqual([]);
    },
    "differs-0": (l) => expect(l.sim.trace.filter((e) => e.kind === "send" && e.to === 4 && e.msg.type === "ToyAppend").map((e) => (e.kind === "send" ? (e.msg as unknown as { value: string }).value : ""))).toEqual(["x=1"]),
    "propose-1": (l) => {
      expect(toy(l).committed).toEqual([false, true]);
      expect((l.sim.node(4)?.view?.() as ToyView).log).toEqual([null, "x=2"]);
    },
    "differs-1": (l) => expect((l.sim.node(4)?.view?.() as ToyView).log[0]).toBeNull(),
    "propose-2": (l) => expect(toy(l).committed).toEqual([false, true, false]),
    "differs-2": (l) => {
      // The toy never sends node 4 what it lacks.
      const toFour = l.trace.filter((e) => e.kind === "send" && e.to === 4 && e.msg.type === "ToyAppend").map((e) => (e.kind === "send" ? (e.msg as unknown as { value: string }).value : ""));
      expect(toFour).toEqual(["x=1", "x=2", "x=3"]);
      expect((l.sim.node(4)?.view?.() as ToyView).log).toEqual([null, "x=2"]);
    },
    "toy-flaw": (l) => expect(toy(l).committed).toEqual([false, true, false]),
    msgs: (l) => expect(toy(l).log).toEqual(["x=1", "x=2", "x=3"]),
  });
});

describe("lesson 6: the same run in real Raft", () => {
  const s = scenario("real-raft");
  it("node 4 refuses x=2 without x=1, the leader backs up and sends both, and both commit together", () => {
    const run = checkRaftRun(s, 1);
    const lines = narration("real-raft", run.sim.trace);
    const refusal = lines.findIndex((l) => l.startsWith("  S4 rejects"));
    const resend = lines.findIndex((l) => l.startsWith("S2 sends S4 entries [2:x=1, 3:x=2]"));
    const commit = lines.findIndex((l) => l.startsWith("S2 now knows entries up to index 3 are committed [2:x=1, 3:x=2]"));
    expect(refusal).toBeGreaterThan(0);
    expect(resend).toBeGreaterThan(refusal);
    expect(commit).toBeGreaterThan(resend);
    expect(run.result).toContain("committed=['no-op', 'x=1', 'x=2'], not yet committed=['x=3'] where the seed's run ends");
    // x=1 and x=2 are committed at once: the leader's commit index goes from 1 to 3.
    const commits = run.sim.trace.filter((e) => e.kind === "state" && e.node === 2).map((e) => (e.kind === "state" ? (e.view as { commitIndex: number }).commitIndex : -1));
    expect([...new Set(commits)]).toEqual([0, 1, 3, 4]);
    // Never a later entry committed before an earlier one: every commit index covers a prefix of the leader's log.
    for (const id of FIVE.filter((n) => run.sim.isUp(n))) {
      const n = raftServer(run.sim, id) as RaftNode;
      expect(n.lastApplied, `node ${id}`).toBe(n.commitIndex);
    }
  });

  it("the leader answers node 4's refusal at once: x=1 and x=2 go out in the step the refusal arrives", () => {
    const trace = s.run({ seed: 1 }).sim.trace;
    const healed = trace.findIndex((e) => e.kind === "heal");
    const [first] = refusalsFrom(trace, 4, healed);
    const resend = appendSends(trace, 4).find((e) => e.seq > (first?.seq ?? Infinity));
    expect(resend?.step).toBe(first?.step);
    expect((resend?.msg as AppendEntries).entries.map((x) => x.index)).toEqual([2, 3]);
  });

  const holds = (l: LabelState, index: number) => FIVE.filter((id) => (raftServer(l.sim, id)?.log.lastIndex ?? 0) >= index);
  labelTests(s, {
    election: (l) => {
      const leader = at(l, 2);
      expect(leader.log.entryAt(1)).toMatchObject({ term: 1, command: { kind: "noop" } });
      expect(leader.commitIndex).toBe(1);
      expect(holds(l, 1)).toEqual([0, 2, 4]);
    },
    x1: (l) => {
      expect(holds(l, 2)).toEqual([0, 2]);
      expect(at(l, 2).commitIndex).toBe(1);
    },
    backup: (l) => {
      expect(holds(l, 3)).toEqual([0, 2, 4]);
      expect(at(l, 2).commitIndex).toBe(3);
      expect(at(l, 2).log.all().slice(1).every((e) => e.term === at(l, 2).currentTerm)).toBe(true);
      const refused = refusalsFrom(l.sim.trace, 4, l.sim.trace.findIndex((e) => e.kind === "heal"));
      expect(l.note.text).toContain(`Node 4 refused ${refused.length} time(s): its log ends at index 1, and the AppendEntries said its entries follow index 2 of term 1`);
      expect(refused.every((e) => (e.msg as AppendEntriesReply).conflictIndex === 2)).toBe(true);
    },
    x3: (l) => {
      expect(holds(l, 4)).toEqual([0, 2]);
      expect(at(l, 2).commitIndex).toBe(3);
      // Heartbeats keep going to node 4 (and are lost on the cut link), each saying it follows index 4.
      const cutAt = [...l.sim.trace].reverse().find((e) => e.kind === "cut")?.seq ?? 0;
      const beats = appendSends(l.sim.trace, 4).filter((e) => e.seq > cutAt && (e.msg as AppendEntries).entries.length === 0);
      expect(beats.length).toBeGreaterThan(0);
      expect(beats.every((e) => (e.msg as AppendEntries).prevLogIndex === 4)).toBe(true);
    },
    healed: (l) => {
      expect(at(l, 2).commitIndex).toBe(4);
      expect(at(l, 4).log.lastIndex).toBe(4);
      const healAt = [...l.sim.trace].reverse().find((e) => e.kind === "heal")?.seq ?? 0;
      const refused = refusalsFrom(l.sim.trace, 4, l.sim.trace.findIndex((e) => e.seq === healAt));
      expect(refused.map((e) => (e.msg as AppendEntriesReply).conflictIndex)).toEqual([4]);
      // What it refused was a heartbeat: an AppendEntries without entries, the first to reach it after the heal.
      const sentRefusal = l.sim.trace.find((e) => e.kind === "send" && e.msgId === refused[0]?.msgId);
      const refusedMsg = l.sim.trace.find((e) => e.kind === "deliver" && e.to === 4 && e.step === sentRefusal?.step && e.msg.type === "AppendEntries");
      expect(refusedMsg?.kind === "deliver" && (refusedMsg.msg as AppendEntries).entries).toEqual([]);
      expect(l.sim.trace.find((e) => e.kind === "deliver" && e.to === 4 && e.seq > healAt)?.seq).toBe(refusedMsg?.seq);
      expect(appendSends(l.sim.trace, 4).some((e) => e.seq > (refused[0]?.seq ?? Infinity) && (e.msg as AppendEntries).entries[0]?.index === 4)).toBe(true);
    },
  });
});

describe("lesson 6: repairing a conflicting log", () => {
  const s = scenario("repair");
  it("replaces the follower's term-1 entries after two refusals, and every log ends identical", () => {
    const run = checkRaftRun(s, 1);
    expect(run.result).toContain("after 2 refusal(s)");
    expect(run.result).toContain("all 5 logs identical: yes");
  });

  it("what the page asks the reader to try: crash a follower, send commands, restart it, and the leader walks nextIndex back and refills its log", () => {
    const { sim } = s.run({ seed: 1 });
    sim.apply({ type: "crash", node: 3 });
    for (const v of [1, 2]) sim.request(2, `d=${v}`);
    sim.runFor(100);
    const back = sim.trace.length;
    sim.apply({ type: "restart", node: 3 });
    sim.runFor(300);
    const refused = refusalsFrom(sim.trace, 3, back);
    expect(refused.length).toBeGreaterThan(0);
    const leader = raftServer(sim, 2) as RaftNode;
    expect(logText(raftServer(sim, 3) as RaftNode)).toBe(logText(leader));
    expect(leader.matchIndex.get(3)).toBe(leader.log.lastIndex);
    expect(sim.violation).toBeUndefined();
  });

  labelTests(s, {
    committed: (l) => {
      for (const id of FIVE) expect([at(l, id).commitIndex, logText(at(l, id))]).toEqual([2, "1:no-op(t1) 2:a=1(t1)"]);
    },
    diverged: (l) => {
      expect(l.sim.isUp(0)).toBe(false);
      expect(logText(at(l, 1))).toBe("1:no-op(t1) 2:a=1(t1) 3:b=1(t1) 4:b=2(t1) 5:b=3(t1)");
      for (const id of [2, 3, 4]) expect(at(l, id).log.lastIndex).toBe(2);
      // Entries 3-5 reached node 1 only, besides node 0.
      for (const id of [2, 3, 4]) expect(l.sim.trace.some((e) => e.kind === "deliver" && e.to === id && (e.msg as AppendEntries).entries?.some((x) => x.index >= 3 && x.term === 1))).toBe(false);
      expect(l.sim.blockedLinks().length).toBe(8);
    },
    "new-leader": (l) => {
      const leader = at(l, 2);
      expect([leader.role, leader.currentTerm]).toEqual(["leader", 2]);
      expect(leader.log.entryAt(3)).toMatchObject({ term: 2, command: { kind: "noop" } });
      expect(at(l, 1).log.entryAt(3)?.term).toBe(1);
      expect(leader.commitIndex).toBe(7);
      expect([3, 4].map((id) => at(l, id).log.lastIndex)).toEqual([7, 7]);
      expect(majority(5)).toBe(3);
    },
    repaired: (l) => {
      expect(logText(at(l, 1))).toBe(logText(at(l, 2)));
      const refused = refusalsFrom(l.sim.trace, 1, l.sim.trace.findIndex((e) => e.kind === "heal" && e.seq > (l.trace.find((x) => x.kind === "note" && x.label === "new-leader")?.seq ?? 0))).map((e) => e.msg as AppendEntriesReply);
      expect(refused.map((r) => [r.conflictTerm, r.conflictIndex])).toEqual([[undefined, 6], [1, 1]]);
      expect(at(l, 1).log.all().some((e) => formatCommand(e.command).startsWith("b="))).toBe(false);
      expect(l.note.text).toContain("it resumed right after it, at index 3");
    },
    "all-repaired": (l) => {
      const logs = new Set(FIVE.map((id) => logText(at(l, id))));
      expect(logs.size).toBe(1);
      const restart = l.sim.trace.findIndex((e) => e.kind === "restart" && e.node === 0);
      // It came back with the log node 1 had before its repair.
      const back = l.sim.trace.find((e, i) => i > restart && e.kind === "state" && e.node === 0);
      expect(back?.kind === "state" && (back.view as { log: { index: number; term: number; command: string }[] }).log.map((e) => `${e.index}:${e.command}(t${e.term})`).join(" ")).toBe("1:no-op(t1) 2:a=1(t1) 3:b=1(t1) 4:b=2(t1) 5:b=3(t1)");
      const refused = refusalsFrom(l.sim.trace, 0, restart).map((e) => e.msg as AppendEntriesReply);
      expect(refused.map((r) => [r.conflictTerm, r.conflictIndex])).toEqual([[undefined, 6], [1, 1]]);
    },
  });
});
