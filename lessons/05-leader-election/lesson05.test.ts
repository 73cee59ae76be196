// Lesson 5's runs tell what happens in them: each labeled step shows what its text says, and every number is the run's.

import { describe, expect, it } from "vitest";
import type { TraceEvent } from "@course/sim";
import { advanceCommitIndex, leaderOf, majority, type AppendEntries, type RaftNode, type RaftView, type RequestVote, type RequestVoteReply } from "@course/raft";
import { scenarioById } from "../03-paxos-failures/scenario-checks.js";
import { labelTests, type LabelState } from "../label-checks.js";
import { FIVE } from "./cluster.js";
import { WATCH_MS } from "./clean-election.js";
import { lesson05 } from "./index.js";
import { campaigns } from "./prevote.js";
import { answerOf, checkRaftRun, raftServer, requestIds } from "./raft-checks.js";

const scenario = (id: string) => scenarioById(lesson05, id);
type Send = Extract<TraceEvent, { kind: "send" }>;
type State = Extract<TraceEvent, { kind: "state" }>;
const at = (s: LabelState, id: number) => raftServer(s.sim, id) as RaftNode;
const states = (trace: readonly TraceEvent[]) => trace.filter((e): e is State => e.kind === "state");
const view = (e: State) => e.view as RaftView;
const leadersOf = (trace: readonly TraceEvent[]) => states(trace).filter((e) => view(e).role === "leader");
const sends = (trace: readonly TraceEvent[], type: string) => trace.filter((e): e is Send => e.kind === "send" && e.msg.type === type);
const narration = (id: string, trace: readonly TraceEvent[]) => trace.map((e) => scenario(id).describe?.(e)).filter((l): l is string => l !== undefined);
const grantedTo = (trace: readonly TraceEvent[], id: number, term: number) =>
  trace.filter((e) => e.kind === "deliver" && e.to === id && e.msg.type === "RequestVoteReply" && (e.msg as RequestVoteReply).voteGranted && (e.msg as RequestVoteReply).term === term).length;

describe("lesson 5: a clean election", () => {
  const s = scenario("clean-election");
  for (const seed of [1, 2, 3, 7]) {
    it(`has one leader, whose timer fired first, and no other candidate ever (seed ${seed})`, () => {
      const run = checkRaftRun(s, seed);
      const leaders = new Set(leadersOf(run.sim.trace).map((e) => e.node));
      expect(leaders.size).toBe(1);
      expect(new Set(states(run.sim.trace).filter((e) => view(e).role === "candidate").map((e) => e.node))).toEqual(leaders);
      const [leader] = [...leaders];
      expect(run.result).toContain(`node ${leader} leads term 1`);
      const lines = narration("clean-election", run.sim.trace);
      expect(lines.some((l) => l.includes("asks the others for votes"))).toBe(true);
      expect(lines.some((l) => l.startsWith(`S${leader} has votes from a majority: it is the leader of term 1 and appends a no-op entry`))).toBe(true);
    });
  }

  it("elects a new leader about one election timeout after the leader is crashed (what the page asks the reader to try), on 100 seeds", () => {
    const gaps: number[] = [];
    let range = { min: 0, max: 0 };
    let heartbeat = 0;
    for (let seed = 1; seed <= 100; seed++) {
      const sim = s.run({ seed }).sim;
      const leader = leaderOf(sim as never) as RaftNode;
      range = leader.options.electionTimeout;
      heartbeat = leader.options.heartbeatInterval;
      const crashedAt = sim.now;
      sim.apply({ type: "crash", node: leader.id });
      const crashAt = sim.trace.length;
      expect(sim.runUntil(() => FIVE.some((id) => id !== leader.id && raftServer(sim, id)?.role === "leader"), { timeout: 2000 }), `seed ${seed}`).toBe(true);
      gaps.push(sim.now - crashedAt);
      // A slow one is a split vote: more than one server campaigned before the new leader won.
      const campaigners = new Set(sends(sim.trace.slice(crashAt), "RequestVote").map((e) => `${e.from}:${(e.msg as RequestVote).term}`));
      if (sim.now - crashedAt > range.max + 20) expect(campaigners.size, `seed ${seed}`).toBeGreaterThan(1);
    }
    // A follower's timer was last reset by a heartbeat at most one interval before the crash.
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(range.min - heartbeat);
    expect(gaps.filter((g) => g <= range.max + 20).length).toBeGreaterThanOrEqual(90);
  });

  it("has every voter write its vote to disk before the reply that grants it leaves", () => {
    const trace = s.run({ seed: s.defaultSeed }).sim.trace;
    const grants = sends(trace, "RequestVoteReply").filter((e) => (e.msg as RequestVoteReply).voteGranted);
    expect(grants.length).toBeGreaterThan(0);
    for (const g of grants) {
      const written = trace.find((e) => e.kind === "persist" && e.node === g.from && e.step === g.step && e.seq < g.seq && (e.value as { votedFor?: number }).votedFor === g.to);
      expect(written, `node ${g.from}'s vote for ${g.to}`).toBeDefined();
    }
  });

  labelTests(s, {
    start: (l) => {
      const nodes = FIVE.map((id) => at(l, id));
      expect(nodes.every((n) => n.role === "follower" && n.currentTerm === 0)).toBe(true);
      const { min, max } = (nodes[0] as RaftNode).options.electionTimeout;
      for (const n of nodes) expect(n.electionDeadline).toBeGreaterThanOrEqual(min), expect(n.electionDeadline).toBeLessThanOrEqual(max);
      // The note lists the timers in the order they fire, and the first one is the node that campaigns.
      const text = l.trace.find((e) => e.kind === "note" && e.step === l.note.step && e.text.startsWith("No node knows"));
      const order = [...(text?.kind === "note" ? text.text.matchAll(/\(node (\d)\)/g) : [])].map((m) => Number(m[1]));
      expect(order).toEqual([...nodes].sort((a, b) => (a.electionDeadline ?? 0) - (b.electionDeadline ?? 0)).map((n) => n.id));
      expect(sends(l.trace, "RequestVote")[0]?.from).toBe(order[0]);
    },
    elected: (l) => {
      const leader = FIVE.map((id) => at(l, id)).find((n) => n.role === "leader") as RaftNode;
      const votes = grantedTo(l.sim.trace, leader.id, 1);
      expect(l.note.text).toContain(`plus ${votes} granted votes: ${votes + 1} of 5, and ${majority(5)} is a majority`);
      expect(votes + 1).toBeGreaterThanOrEqual(majority(5));
      expect(FIVE.filter((id) => id !== leader.id).every((id) => at(l, id).role === "follower")).toBe(true);
      // Its first entry is the no-op of its term, and it has gone out to everyone.
      expect(leader.log.all().map((e) => [e.index, e.term, e.command.kind])).toEqual([[1, 1, "noop"]]);
      expect(sends(l.sim.trace, "AppendEntries").filter((e) => (e.msg as AppendEntries).entries.length === 1).map((e) => e.to).sort()).toEqual(FIVE.filter((id) => id !== leader.id));
    },
    heartbeats: (l) => {
      const leader = FIVE.map((id) => at(l, id)).find((n) => n.role === "leader") as RaftNode;
      const elected = l.trace.find((e) => e.kind === "note" && e.label === "elected")?.seq ?? 0;
      const watched = sends(l.sim.trace, "AppendEntries").filter((e) => e.seq > elected);
      expect(l.note.text).toContain(`For ${WATCH_MS} ms the leader sends empty AppendEntries every ${leader.options.heartbeatInterval} ms (${watched.length} of them)`);
      expect(watched.every((e) => (e.msg as AppendEntries).entries.length === 0)).toBe(true);
      for (const f of FIVE.filter((id) => id !== leader.id)) {
        const times = watched.filter((e) => e.to === f).map((e) => e.time);
        expect(times.length).toBe(WATCH_MS / leader.options.heartbeatInterval);
        expect(times.slice(1).map((t, i) => t - (times[i] as number))).toEqual(times.slice(1).map(() => leader.options.heartbeatInterval));
      }
      expect(states(l.sim.trace).filter((e) => e.seq > elected && view(e).role === "candidate")).toEqual([]);
    },
  });
});

describe("lesson 5: the settings the README states", () => {
  it("in every scenario's final logs, the first entry of each term is that term's no-op", () => {
    for (const sc of lesson05.scenarios) {
      for (const variant of [undefined, ...Object.keys(sc.variants ?? {})]) {
        const run = sc.run(variant === undefined ? { seed: sc.defaultSeed } : { seed: sc.defaultSeed, variant });
        for (const id of run.sim.nodeIds) {
          const entries = raftServer(run.sim, id)?.log.all() ?? [];
          const firsts = entries.filter((e, i) => i === 0 || entries[i - 1]?.term !== e.term);
          expect(firsts.map((e) => e.command.kind), `${sc.id} ${variant ?? ""} node ${id}`).toEqual(firsts.map(() => "noop"));
        }
      }
    }
  });

  it("runs every scenario with the election no-op and pipelining on; PreVote and CheckQuorum only where the scenario says so", () => {
    const pre = new Set(["check-quorum", "prevote"]);
    for (const sc of lesson05.scenarios) {
      const options = (raftServer(sc.run({ seed: sc.defaultSeed }).sim, sc.id === "split-vote" ? 0 : 1) as RaftNode).options;
      expect([options.noopOnElection, options.pipeline], sc.id).toEqual([true, true]);
      expect(options.preVote, sc.id).toBe(pre.has(sc.id));
      expect(options.checkQuorum, sc.id).toBe(sc.id === "check-quorum");
      expect([options.electionTimeout.min, options.electionTimeout.max, options.heartbeatInterval], sc.id).toEqual([150, 300, 50]);
    }
  });
});

describe("lesson 5: the new leader's no-op", () => {
  const s = scenario("election-no-op");
  for (const seed of [1, 2, 3]) {
    it(`commits x=1 of term 1 through the no-op of term 2, and the read returns it (seed ${seed})`, () => {
      const run = checkRaftRun(s, seed);
      const leader = raftServer(run.sim, 2) as RaftNode;
      expect(leader.log.all().map((e) => [e.index, e.term, e.command.kind])).toEqual([[1, 1, "noop"], [2, 1, "client"], [3, 2, "noop"]]);
      // Node 2's commit index goes from 1 straight to 3: index 2 is never committed on its own.
      const commits = states(run.sim.trace).filter((e) => e.node === 2 && view(e).role === "leader").map((e) => view(e).commitIndex);
      expect([...new Set(commits)]).toEqual([1, 3]);
      const read = answerOf(run.sim, requestIds(run.sim, "reader")[0] as number);
      expect(read?.result).toEqual({ ok: true, value: "1" });
      expect(run.result).toContain("the read returned x=1; history linearizable");
    });
  }

  it("the local-reads variant answers the read at once with no value, which the linearizability checker rejects", () => {
    const run = checkRaftRun(s, 1, "local-reads");
    const read = answerOf(run.sim, requestIds(run.sim, "reader")[0] as number);
    expect(read?.result).toEqual({ ok: true, value: null });
    expect(read?.replyAt).toBe(read?.invokedAt);
    expect(run.result).toContain("the read returned no value (stale); history not linearizable");
  });

  const crash = (l: LabelState) => {
    expect(l.sim.isUp(0)).toBe(false);
    expect(answerOf(l.sim, requestIds(l.sim, "client")[0] as number)?.result).toEqual({ ok: true, index: 2, value: "1" });
    for (const id of [1, 2, 3, 4]) {
      expect(at(l, id).log.termAt(2), `node ${id} holds x=1`).toBe(1);
      expect(at(l, id).commitIndex).toBe(1);
      expect(at(l, id).kv.get("x")).toBeNull();
    }
    expect(l.note.text).toContain("nodes 1, 2, 3 and 4 stored it too");
    expect(l.note.text).toContain("the followers still have commit index 1");
  };
  const elected = (l: LabelState) => {
    const leader = at(l, 2);
    expect([leader.role, leader.currentTerm, leader.commitIndex]).toEqual(["leader", 2, 1]);
    expect(leader.log.entryAt(3)).toMatchObject({ term: 2, command: { kind: "noop" } });
    // Even knowing that every live server holds index 2, the commit rule may not count an entry of term 1.
    const holders = [1, 2, 3, 4].filter((id) => at(l, id).log.termAt(2) === 1);
    expect(holders.length).toBeGreaterThanOrEqual(majority(5));
    const rule = advanceCommitIndex({ currentTerm: 2, commitIndex: 1, log: leader.log, members: leader.members, matchIndex: (id) => (holders.includes(id) ? 2 : 0) });
    expect(rule).toBe(1);
    expect(l.note.text).toContain(`Even knowing that all ${holders.length} hold it, the rule leaves the commit index at 1`);
    expect(l.note.text).toContain("append a no-op of term 2 at index 3");
  };
  const committed = (l: LabelState) => {
    const leader = at(l, 2);
    expect(leader.commitIndex).toBe(3);
    expect(leader.kv.get("x")).toBe("1");
    const acked = [0, 1, 3, 4].filter((id) => (leader.matchIndex.get(id) ?? 0) >= 3);
    expect(acked.length + 1).toBe(majority(5));
    expect(l.note.text).toContain(`Nodes ${acked.join(" and ")} acknowledged index 3: with node 2 itself that is 3 of 5`);
  };
  labelTests(s, {
    crash,
    elected,
    committed,
    read: (l) => {
      const read = answerOf(l.sim, requestIds(l.sim, "reader")[0] as number);
      expect(read?.result).toEqual({ ok: true, value: "1" });
      // ReadIndex: answered only once the no-op is committed, and after a majority answered a heartbeat round sent after the read arrived.
      const committedAt = states(l.sim.trace).find((e) => e.node === 2 && view(e).commitIndex >= 3)?.time ?? Infinity;
      expect(read?.replyAt).toBeGreaterThanOrEqual(committedAt);
      const confirmations = l.sim.trace.filter((e) => e.kind === "deliver" && e.to === 2 && e.msg.type === "AppendEntriesReply" && (e.msg as { readSeq?: number }).readSeq !== undefined && e.time >= (read?.invokedAt ?? 0) && e.time <= (read?.replyAt ?? 0));
      expect(new Set(confirmations.map((e) => (e.kind === "deliver" ? e.from : -1))).size + 1).toBeGreaterThanOrEqual(majority(5));
      expect(l.note.text).toContain(`answered ${((read?.replyAt ?? 0) - (read?.invokedAt ?? 0)).toFixed(0)} ms after it arrived, with x=1`);
      expect(l.note.text).toContain("linearizability check: linearizable");
    },
  });
  labelTests(
    s,
    {
      crash,
      elected,
      read: (l) => {
        expect(answerOf(l.sim, requestIds(l.sim, "reader")[0] as number)?.result).toEqual({ ok: true, value: null });
        expect(at(l, 2).commitIndex).toBe(1);
        expect(l.note.text).toContain("the linearizability checker says not linearizable");
      },
      committed,
    },
    { seed: s.defaultSeed, variant: "local-reads" },
  );
});

describe("lesson 5: a split vote", () => {
  const s = scenario("split-vote");
  it("runs on four servers and says so in its first note", () => {
    const run = checkRaftRun(s, s.defaultSeed);
    expect(run.sim.nodeIds).toHaveLength(4);
    const first = run.sim.trace.find((e) => e.kind === "note" && e.style !== "heading");
    expect(first?.kind === "note" && first.text).toContain("This cluster has 4 servers, not five, so that two candidates can split the vote evenly: a majority is 3 of 4.");
  });
  for (const seed of [1, 2, 3, 4, 5]) {
    it(`splits term 1 two against two, and a later term has one winner (seed ${seed})`, () => {
      const run = checkRaftRun(s, seed);
      expect(run.result).toContain("term 1 split (node 0: 2 votes, node 1: 2 votes)");
      // The first server to campaign after the tie is the one that wins.
      const firstAfter = sends(run.sim.trace, "RequestVote").find((e) => (e.msg as RequestVote).term === 2);
      expect(leadersOf(run.sim.trace)[0]?.node).toBe(firstAfter?.from);
      expect(Math.min(...leadersOf(run.sim.trace).map((e) => view(e).term))).toBeGreaterThanOrEqual(2);
    });
  }
  labelTests(s, {
    split: (l) => {
      expect([0, 1, 2, 3].map((id) => at(l, id).votedFor)).toEqual([0, 1, 0, 1]);
      expect([0, 1, 2, 3].every((id) => at(l, id).currentTerm === 1 && at(l, id).role !== "leader")).toBe(true);
      expect([grantedTo(l.sim.trace, 0, 1), grantedTo(l.sim.trace, 1, 1)]).toEqual([1, 1]);
    },
    won: (l) => {
      const leader = [0, 1, 2, 3].map((id) => at(l, id)).find((n) => n.role === "leader") as RaftNode;
      expect(leader.currentTerm).toBe(2);
      // It fired first: the note before this one lists the timers, the winner's first.
      const timers = l.sim.trace.filter((e) => e.kind === "note" && e.text.startsWith("The candidates drew fresh timeouts"));
      expect(timers[0]?.kind === "note" && timers[0].text).toMatch(new RegExp(`: node ${leader.id} at`));
      expect(l.note.text).toContain(`with ${grantedTo(l.sim.trace, leader.id, 2) + 1} of 4 votes`);
      // Each timer after the tie was drawn from the configured range when it was last set.
      const { min, max } = leader.options.electionTimeout;
      const tieEnd = l.trace.find((e) => e.kind === "note" && e.label === "split")?.seq ?? 0;
      for (const id of [0, 1, 2, 3]) {
        const set = l.sim.trace.filter((e) => e.kind === "timer-set" && e.node === id && e.name === "election" && e.seq < tieEnd).at(-1);
        expect(set?.kind === "timer-set" && set.fireAt - set.time).toBeGreaterThanOrEqual(min);
        expect(set?.kind === "timer-set" && set.fireAt - set.time).toBeLessThanOrEqual(max);
      }
    },
  });
});

describe("lesson 5: stepping down", () => {
  const s = scenario("step-down");
  for (const seed of [3, 4, 5]) {
    it(`the cut-off leader steps down on the newer term and loses its uncommitted write (seed ${seed})`, () => {
      const run = checkRaftRun(s, seed);
      expect(run.result).toMatch(/stepped down to follower in term \d+/);
      expect(run.result).toContain("uncommitted write is gone");
    });
  }
  const oldLeader = (l: LabelState) => leadersOf(l.trace)[0]?.node as number;
  labelTests(s, {
    isolate: (l) => expect(l.sim.blockedLinks().length).toBe(8),
    "stray-write": (l) => {
      const old = at(l, oldLeader(l));
      expect(old.role).toBe("leader");
      expect(old.log.entryAt(old.log.lastIndex)?.command).toMatchObject({ kind: "client", op: { value: "stale" } });
      expect(old.commitIndex).toBeLessThan(old.log.lastIndex);
      expect(answerOf(l.sim, 0)).toBeUndefined();
    },
    "two-leaders": (l) => {
      const leaders = FIVE.map((id) => at(l, id)).filter((n) => n.role === "leader");
      expect(leaders.map((n) => n.currentTerm).sort()).toEqual([1, 2]);
      expect(answerOf(l.sim, 0)).toBeUndefined();
    },
    heal: (l) => expect(l.sim.blockedLinks()).toEqual([]),
    "stepped-down": (l) => {
      const old = at(l, oldLeader(l));
      expect([old.role, old.currentTerm]).toEqual(["follower", 2]);
      expect(answerOf(l.sim, 0)?.result).toMatchObject({ ok: false, error: "lost-leadership" });
    },
  });
});

describe("lesson 5: CheckQuorum", () => {
  const s = scenario("check-quorum");
  const cutOf = (trace: readonly TraceEvent[]) => trace.find((e) => e.kind === "partition") as Extract<TraceEvent, { kind: "partition" }>;

  it("on 50 seeds, a leader cut off from a majority steps down within two checks, and the cut-off clients are answered at once after that", () => {
    for (let seed = 1; seed <= 50; seed++) {
      const run = s.run({ seed });
      expect(run.sim.violation, `seed ${seed}`).toBeUndefined();
      const cut = cutOf(run.sim.trace);
      const old = cut.groups[0]?.find((id) => leadersOf(run.sim.trace).some((e) => e.node === id)) as number;
      const down = states(run.sim.trace).find((e) => e.seq > cut.seq && e.node === old && view(e).role !== "leader");
      const period = (raftServer(run.sim, old) as RaftNode).options.electionTimeout.max;
      expect(down, `seed ${seed}: npm run lesson 5 -- --scenario check-quorum --seed ${seed}`).toBeDefined();
      expect((down?.time ?? Infinity) - cut.time, `seed ${seed}`).toBeLessThanOrEqual(2 * period);
      // With PreVote the two cut-off servers' campaigns never raise their terms.
      const heal = run.sim.trace.find((e) => e.kind === "heal")?.seq ?? Infinity;
      expect(states(run.sim.trace).filter((e) => e.seq < heal && cut.groups[0]?.includes(e.node) && view(e).term > 1), `seed ${seed}`).toEqual([]);
      const [c1, ...c2] = [...requestIds(run.sim, "c1"), ...requestIds(run.sim, "c2")];
      expect(answerOf(run.sim, c1 as number)?.result, `seed ${seed}`).toMatchObject({ ok: false, error: "lost-leadership" });
      for (const id of c2) {
        const a = answerOf(run.sim, id);
        expect(a?.result, `seed ${seed}`).toMatchObject({ ok: false, error: "not-leader" });
        expect(a?.replyAt).toBe(a?.invokedAt);
      }
    }
  });

  it("without CheckQuorum, on 50 seeds the cut-off leader leads until the heal, and every client waits for it", () => {
    for (let seed = 1; seed <= 50; seed++) {
      const run = s.run({ seed, variant: "without-check-quorum" });
      expect(run.sim.violation, `seed ${seed}`).toBeUndefined();
      const cut = cutOf(run.sim.trace);
      const heal = run.sim.trace.find((e) => e.kind === "heal") as TraceEvent;
      const old = cut.groups[0]?.find((id) => leadersOf(run.sim.trace).some((e) => e.node === id)) as number;
      const down = states(run.sim.trace).find((e) => e.seq > cut.seq && e.node === old && view(e).role !== "leader");
      expect(down?.seq, `seed ${seed}`).toBeGreaterThan(heal.seq);
      for (const id of [...requestIds(run.sim, "c1"), ...requestIds(run.sim, "c2")]) expect(answerOf(run.sim, id)?.replyAt, `seed ${seed}`).toBeGreaterThan(heal.time);
    }
  });

  const oldOf = (l: LabelState) => {
    const cut = cutOf(l.trace);
    return cut.groups[0]?.find((id) => leadersOf(l.trace).some((e) => e.node === id && e.seq < cut.seq)) as number;
  };
  const common = {
    stable: (l: LabelState) => {
      const leader = FIVE.map((id) => at(l, id)).find((n) => n.role === "leader") as RaftNode;
      expect(leader.options.preVote).toBe(true);
      expect(l.note.text).toContain(`Node ${leader.id} leads term 1`);
    },
    partition: (l: LabelState) => {
      const old = at(l, oldOf(l));
      expect(old.role).toBe("leader");
      expect(l.sim.blockedLinks().length).toBe(2 * 2 * 3);
      expect(old.log.entryAt(old.log.lastIndex)?.command).toMatchObject({ kind: "client", client: "c1" });
    },
    "new-leader": (l: LabelState) => {
      const cut = cutOf(l.trace);
      const fresh = (cut.groups[1] ?? []).map((id) => at(l, id)).find((n) => n.role === "leader") as RaftNode;
      expect(fresh.currentTerm).toBe(2);
      const old = at(l, oldOf(l));
      expect(l.note.text).toContain(old.role === "leader" ? "two leaders, in different terms" : "had already stepped down");
    },
  };
  labelTests(s, {
    ...common,
    check: (l) => {
      const old = at(l, oldOf(l));
      expect([old.role, old.currentTerm]).toEqual(["follower", 1]);
      const cut = cutOf(l.trace);
      expect(l.note.text).toContain(`${(l.note.time - cut.time).toFixed(0)} ms after the cut`);
      expect(answerOf(l.sim, requestIds(l.sim, "c1")[0] as number)?.result).toMatchObject({ ok: false, error: "lost-leadership" });
    },
    clients: (l) => {
      for (const id of requestIds(l.sim, "c2")) expect(answerOf(l.sim, id)?.result).toMatchObject({ ok: false, error: "not-leader" });
    },
    heal: (l) => {
      const old = at(l, oldOf(l));
      expect([old.role, old.currentTerm]).toEqual(["follower", 2]);
      expect(old.log.all().some((e) => e.command.kind === "client" && e.command.client !== "client")).toBe(false);
    },
  });
  labelTests(
    s,
    {
      ...common,
      check: (l) => {
        const old = at(l, oldOf(l));
        expect([old.role, old.currentTerm]).toEqual(["leader", 1]);
        expect(answerOf(l.sim, requestIds(l.sim, "c1")[0] as number)).toBeUndefined();
        expect(FIVE.filter((id) => at(l, id).log.all().some((e) => e.command.kind === "client" && e.command.client === "c1")).length).toBe(2);
      },
      clients: (l) => {
        for (const id of requestIds(l.sim, "c2")) expect(answerOf(l.sim, id)).toBeUndefined();
        expect(at(l, oldOf(l)).role).toBe("leader");
      },
      heal: (l) => {
        const old = at(l, oldOf(l));
        expect([old.role, old.currentTerm]).toEqual(["follower", 2]);
        const waits = [...requestIds(l.sim, "c1"), ...requestIds(l.sim, "c2")].map((id) => answerOf(l.sim, id)).map((a) => ((a?.replyAt ?? 0) - (a?.invokedAt ?? 0)).toFixed(0));
        expect(l.note.text).toContain(`c1 waited ${waits[0]} ms for an answer, c2 ${waits[1]} ms for its write and ${waits[2]} ms for its read`);
      },
    },
    { seed: s.defaultSeed, variant: "without-check-quorum" },
  );
});

describe("lesson 5: PreVote", () => {
  const s = scenario("prevote");
  for (const seed of [2, 3, 4]) {
    it(`with PreVote the cut-off node's term stays put and the leader keeps leading; without, its return forces an election (seed ${seed})`, () => {
      expect(checkRaftRun(s, seed).result).toContain("no election was needed");
      expect(checkRaftRun(s, seed, "without-prevote").result).toContain("the return forced a new election");
    });
  }
  it("tells one timeout per campaign: a real campaign after pre-votes is told as following them", () => {
    const lines = narration("prevote", s.run({ seed: s.defaultSeed }).sim.trace);
    const campaign = lines.filter((l) => l.includes("becomes a candidate for term 1"));
    expect(campaign).toHaveLength(1);
    expect(campaign[0]).toMatch(/^S\d has pre-votes from a majority, so it becomes a candidate/);
  });
  const lonelyOf = (l: LabelState) => (l.trace.find((e) => e.kind === "isolate") as Extract<TraceEvent, { kind: "isolate" }>).node;
  const isolate = (l: LabelState) => expect(l.sim.blockedLinks().length).toBe(8);
  labelTests(s, {
    isolate,
    "cut-off": (l) => {
      const lonely = at(l, lonelyOf(l));
      expect(lonely.currentTerm).toBe(1);
      const since = l.sim.trace.findIndex((e) => e.kind === "isolate");
      expect(campaigns(l.sim.trace, lonely.id, "RequestVote", since)).toEqual([]);
      expect(l.note.text).toContain(`timer fired ${campaigns(l.sim.trace, lonely.id, "PreVote", since).length} times`);
    },
    return: (l) => expect(l.sim.blockedLinks()).toEqual([]),
    back: (l) => {
      const leaders = FIVE.map((id) => at(l, id)).filter((n) => n.role === "leader");
      expect(leaders.map((n) => n.currentTerm)).toEqual([1]);
      expect(at(l, lonelyOf(l)).leaderId).toBe(leaders[0]?.id);
    },
  });
  labelTests(
    s,
    {
      isolate,
      "cut-off": (l) => {
        const lonely = at(l, lonelyOf(l));
        const since = l.sim.trace.findIndex((e) => e.kind === "isolate");
        const tries = campaigns(l.sim.trace, lonely.id, "RequestVote", since).length;
        expect(lonely.currentTerm).toBe(1 + tries);
        expect(l.note.text).toContain(`timer fired ${tries} times`);
        expect(l.note.text).toContain(`climbed from 1 to ${lonely.currentTerm}`);
      },
      return: (l) => expect(l.sim.blockedLinks()).toEqual([]),
      back: (l) => {
        const firstLeader = leadersOf(l.trace)[0]?.node as number;
        const steppedDown = states(l.sim.trace).some((e) => e.node === firstLeader && view(e).role === "follower" && view(e).term > 1);
        expect(steppedDown).toBe(true);
        expect(Math.max(...FIVE.map((id) => at(l, id).currentTerm))).toBeGreaterThan(1);
      },
    },
    { seed: s.defaultSeed, variant: "without-prevote" },
  );
});
