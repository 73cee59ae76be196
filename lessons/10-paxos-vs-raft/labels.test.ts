// Lesson 10's labeled steps: a jump to each label shows a state in which its heading or note is true.

import { describe, expect } from "vitest";
import type { BasicPaxosNode, MultiPaxosNode } from "@course/paxos";
import type { RaftNode } from "@course/raft";
import type { TraceEvent } from "@course/sim";
import { labelTests, section, type LabelState } from "../label-checks.js";
import { scenarioById } from "../03-paxos-failures/scenario-checks.js";
import { lesson10 } from "./index.js";
import { contentionSpreadLine, contentionSpreads, costSpreadLine, costSpreads, failoverSpreadLine, failoverSpreads } from "./distributions.js";
import { formatPerNode, involvement } from "./measure.js";

const FIVE = [0, 1, 2, 3, 4];
const scenario = (id: string) => scenarioById(lesson10, id);
type Send = Extract<TraceEvent, { kind: "send" }>;
const sends = (events: readonly TraceEvent[], type?: string) => events.filter((e): e is Send => e.kind === "send" && (type === undefined || e.msg.type === type));
const requests = (events: readonly TraceEvent[]) => events.filter((e) => e.kind === "client-request");
const replies = (events: readonly TraceEvent[]) => events.filter((e) => e.kind === "client-reply");
const headingSeq = (s: LabelState, label: string) => s.trace.find((e) => e.kind === "note" && e.label === label)?.seq ?? -1;
const multi = (s: LabelState, id: number) => s.sim.node<MultiPaxosNode>(id)?.inspect();
const raft = (s: LabelState, id: number) => s.sim.node<RaftNode>(id);
const noteTexts = (s: LabelState) => section(s).flatMap((e) => (e.kind === "note" ? [e.text] : []));

/** The traffic line is a count of the trace's network messages from the start of the measured window. */
function trafficTrue(s: LabelState, windowFrom: string | undefined): void {
  const from = windowFrom === undefined ? 0 : headingSeq(s, windowFrom) + 1;
  expect(s.note.text).toContain(formatPerNode(involvement(s.sim.trace, FIVE, 0, from).perNode));
}

describe("lesson 10: cost of a command", () => {
  labelTests(scenario("cost-basic-paxos"), {
    instance: (s) => {
      const part = section(s);
      expect(requests(part).map((e) => (e.kind === "client-request" ? [e.node, e.request.op] : []))).toEqual([[0, "x=1"]]);
      expect(new Set(sends(part, "prepare").map((e) => e.from))).toEqual(new Set([0]));
    },
    bill: (s) => expect(FIVE.map((id) => s.sim.node<BasicPaxosNode>(id)?.inspect().learned)).toEqual(["x=1", "x=1", "x=1", "x=1", "x=1"]),
    messages: (s) => {
      const counts = new Map<string, number>();
      for (const e of sends(s.sim.trace)) counts.set(e.msg.type, (counts.get(e.msg.type) ?? 0) + 1);
      expect(s.note.text).toContain(`Messages: ${[...counts].map(([t, n]) => `${n} ${t}`).join(", ")}.`);
      expect(s.note.text).toContain(`${sends(s.sim.trace).length} messages in all, ${sends(s.sim.trace).filter((e) => e.from !== e.to).length} of them over the network`);
    },
    delays: (s) => expect(replies(s.sim.trace).length).toBe(1),
    traffic: (s) => trafficTrue(s, undefined),
  });

  labelTests(scenario("cost-multi-paxos"), {
    "phase-1": (s) => {
      expect(FIVE.some((id) => multi(s, id)?.role === "leader")).toBe(false);
      expect(new Set(sends(section(s), "prepare").map((e) => e.from))).toEqual(new Set([0]));
    },
    steady: (s) => {
      expect(multi(s, 0)?.role).toBe("leader");
      expect(requests(section(s)).length).toBe(5);
      expect(sends(section(s), "prepare")).toEqual([]);
    },
    bill: (s) => {
      expect(replies(s.sim.trace).length).toBe(5);
      for (const id of FIVE) expect(multi(s, id)?.log.length).toBe(5);
    },
    messages: (s) => expect(sends(s.sim.trace, "prepare").every((e) => e.from === 0)).toBe(true),
    learners: (s) => {
      // "without waiting for the leader to tell it": no message tells a replica which command was chosen.
      expect(sends(s.sim.trace, "chosen")).toEqual([]);
      for (const id of FIVE) expect(multi(s, id)?.log.length).toBe(5);
    },
    traffic: (s) => trafficTrue(s, "steady"),
  });

  const costs = costSpreads();
  labelTests(scenario("cost-raft"), {
    election: (s) => {
      expect(FIVE.some((id) => raft(s, id)?.role === "leader")).toBe(false);
      expect(new Set(sends(section(s), "RequestVote").map((e) => e.from))).toEqual(new Set([0]));
    },
    steady: (s) => {
      expect(raft(s, 0)?.role).toBe("leader");
      expect(requests(section(s)).length).toBe(5);
    },
    bill: (s) => {
      expect(replies(s.sim.trace).length).toBe(5);
      for (const id of FIVE) expect(raft(s, id)?.lastApplied).toBeGreaterThanOrEqual(5);
    },
    messages: (s) => expect(sends(s.sim.trace).filter((e) => e.seq > headingSeq(s, "steady")).every((e) => e.from !== e.to)).toBe(true),
    "followers-learn-late": (s) => followersApplied(s),
    traffic: (s) => trafficTrue(s, "steady"),
    "side-by-side": (s) => expect(noteTexts(s).filter((t) => /^(Basic Paxos|Multi-Paxos|Raft): /.test(t)).length).toBe(3),
    "what-it-means": (s) => expect(s.note.text).toContain("100%"),
    "over-seeds": (s) => {
      const lines = noteTexts(s);
      for (const c of [costs.basic, costs.multi, costs.raft]) expect(lines).toContain(costSpreadLine(c));
    },
    "seed-dependence": (s) => {
      expect([costs.raft.messages.min, costs.raft.messages.max]).toEqual([8, 8]);
      expect(costs.raftUnpipelined.messages.max).toBeGreaterThan(costs.raftUnpipelined.messages.min);
      expect(s.note.text).toContain("every protocol's commands cost the same messages on every seed");
    },
  });
});

/** Raft's followers applied every command (they heard the commit index from a later AppendEntries). */
function followersApplied(s: LabelState): void {
  for (const id of [1, 2, 3, 4]) expect(raft(s, id)?.lastApplied).toBeGreaterThanOrEqual(5);
}

describe("lesson 10: contention", () => {
  labelTests(scenario("contention-basic-paxos"), {
    race: (s) => {
      const part = section(s);
      expect(requests(part).map((e) => (e.kind === "client-request" ? e.node : -1))).toEqual([1, 3]);
      expect(new Set(requests(part).map((e) => e.time))).toEqual(new Set([0]));
    },
    cost: (s) => expect(FIVE.every((id) => s.sim.node<BasicPaxosNode>(id)?.inspect().learned !== undefined)).toBe(true),
    "rounds-lost": (s) => {
      const rounds = sends(s.sim.trace, "prepare").filter((e) => e.from === e.to).length;
      expect(s.note.text).toMatch(new RegExp(`^${rounds} rounds were started`));
      expect(s.sim.trace.some((e) => e.kind === "deliver" && e.msg.type === "nack")).toBe(true);
    },
  });

  labelTests(scenario("contention-raft"), {
    leader: (s) => expect(FIVE.some((id) => raft(s, id)?.role === "leader")).toBe(false),
    race: (s) => {
      expect(FIVE.every((id) => raft(s, id)?.leaderId === 0)).toBe(true);
      const part = requests(section(s));
      expect(part.slice(0, 2).map((e) => (e.kind === "client-request" ? e.node : -1))).toEqual([1, 3]);
    },
    "side-by-side": (s) => expect(replies(s.sim.trace).filter((e) => e.kind === "client-reply" && e.node === 0).length).toBe(2),
    redirect: (s) => expect(replies(s.sim.trace).filter((e) => e.kind === "client-reply" && (e.result as { error?: string }).error === "not-leader").length).toBe(2),
    "what-it-means": (s) => expect(replies(s.sim.trace).length).toBe(4),
    "over-seeds": (s) => expect(s.note.text).toBe(contentionSpreadLine(contentionSpreads())),
  });
});

describe("lesson 10: failover", () => {
  const failoverChecks = (protocol: "multi" | "raft") => {
    const role = (s: LabelState, id: number) => (protocol === "multi" ? multi(s, id)?.role : raft(s, id)?.role);
    const leadersOf = (s: LabelState) => FIVE.filter((id) => s.sim.isUp(id) && role(s, id) === "leader");
    return {
      before: (s: LabelState) => {
        expect(replies(section(s)).map((e) => (e.kind === "client-reply" ? e.node : -1))).toEqual([0]);
      },
      crash: (s: LabelState) => {
        expect(s.sim.isUp(0)).toBe(false);
        expect(s.sim.now).toBe(200);
      },
      after: (s: LabelState) => {
        const named = Number(/^Node (\d+) is the first survivor to lead/.exec(s.note.text)?.[1]);
        expect(leadersOf(s)).toEqual([named]);
        const asked = requests(section(s))[0];
        expect(asked?.kind === "client-request" && asked.node).toBe(named);
      },
      breakdown: (s: LabelState) => expect(replies(s.sim.trace).length).toBe(2),
    };
  };

  labelTests(scenario("failover-multi-paxos"), {
    ...failoverChecks("multi"),
    "competing-campaigns": (s) => {
      const named = /so node (\d+), not node (\d+), answered the command/.exec(s.note.text);
      const last = replies(s.sim.trace).at(-1);
      expect(last?.kind === "client-reply" && last.node).toBe(Number(named?.[1]));
      const campaigners = sends(s.sim.trace, "prepare").filter((e) => e.from === e.to && e.time > 200).map((e) => e.from);
      expect(campaigners.length).toBe(Number(/^(\d+) campaigns/.exec(s.note.text)?.[1]));
    },
  });

  labelTests(scenario("failover-raft"), {
    ...failoverChecks("raft"),
    "side-by-side": (s) => expect(noteTexts(s).filter((t) => /^(Multi-Paxos|Raft): no progress for/.test(t)).length).toBe(2),
    "over-seeds": (s) => expect(s.note.text).toBe(failoverSpreadLine(failoverSpreads())),
    "what-it-means": (s) => {
      const f = failoverSpreads();
      expect(s.note.text).toContain(`the medians were ${Math.round(f.multiTakeover.median)} and ${Math.round(f.raftTakeover.median)} ms`);
    },
  });
});
