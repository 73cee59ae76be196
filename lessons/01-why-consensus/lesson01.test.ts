// Lesson 1's runs: 2PC blocks while its coordinator is down; consensus decides without a participant; the replicated decision.

import { describe, expect, it } from "vitest";
import type { NodeId, TraceEvent } from "@course/sim";
import type { BasicPaxosNode } from "@course/paxos";
import type { DecisionMsg, TwoPcNode } from "@course/twopc";
import { runTwoPcRandom } from "@course/check";
import { checkScenario, noteSeq, scenarioById } from "../03-paxos-failures/scenario-checks.js";
import { labelTests, type LabelState } from "../label-checks.js";
import { lesson01 } from "./index.js";
import { COORDINATOR, PARTICIPANTS, TXN, repeatedDecisions } from "./transaction.js";

const scenario = (id: string) => scenarioById(lesson01, id);
type Send = Extract<TraceEvent, { kind: "send" }>;
type Deliver = Extract<TraceEvent, { kind: "deliver" }>;
const twoPc = ({ sim }: LabelState, id: NodeId) => sim.node<TwoPcNode>(id)?.inspect();
const txnStates = (state: LabelState) => PARTICIPANTS.map((id) => twoPc(state, id)?.txns[TXN]);
const allPrepared = (state: LabelState) => expect(txnStates(state)).toEqual(["prepared", "prepared", "prepared", "prepared"]);

describe("lesson 1: two-phase commit blocks", () => {
  for (const seed of [1, 7]) {
    it(`keeps every participant prepared while the coordinator is down, then commits (seed ${seed})`, () => {
      const run = checkScenario(scenario("2pc-blocks"), seed);
      expect(run.sim.violation).toBeUndefined();
      const crash = run.sim.trace.find((e) => e.kind === "crash" && e.node === 0);
      const restart = run.sim.trace.find((e) => e.kind === "restart" && e.node === 0);
      expect(crash && restart && restart.time - crash.time).toBeGreaterThanOrEqual(1000);
      // Nothing is decided at a participant while the coordinator is down.
      const decidedMeanwhile = run.sim.trace.filter((e) => e.kind === "persist" && e.node !== 0 && e.seq > (crash?.seq ?? 0) && e.seq < (restart?.seq ?? 0));
      expect(decidedMeanwhile).toEqual([]);
      noteSeq(run, /4 of 4 participants still prepared/);
      for (const id of PARTICIPANTS) expect(run.sim.node<TwoPcNode>(id)?.inspect().txns.t1).toBe("committed");
    });

    it(`explains every COMMIT a participant hears twice: an answer to a status query sent before the restart (seed ${seed})`, () => {
      const run = scenario("2pc-blocks").run({ seed });
      const trace = run.sim.trace;
      const restart = trace.find((e) => e.kind === "restart" && e.node === COORDINATOR)?.seq ?? Infinity;
      const twice = repeatedDecisions(trace, COORDINATOR);
      for (const p of twice) {
        const heard = trace.filter((e): e is Deliver => e.kind === "deliver" && e.to === p && e.msg.type === "decision");
        expect(heard).toHaveLength(2);
        const answer = heard.find((e) => (e.msg as DecisionMsg).answersQuery === true);
        expect(answer, `participant ${p}: one copy answers a query`).toBeDefined();
        // The query it answers was sent by p before the coordinator restarted, and delivered after.
        const answerSend = trace.find((e): e is Send => e.kind === "send" && e.msgId === answer?.msgId);
        const query = trace.filter((e): e is Deliver => e.kind === "deliver" && e.msg.type === "status-query" && e.from === p && e.to === COORDINATOR && e.step === answerSend?.step)[0];
        const querySent = trace.find((e) => e.kind === "send" && e.msgId === query?.msgId);
        expect(querySent?.seq).toBeLessThan(restart);
        // The second copy changes nothing: the participant had committed before it arrived, and stays committed.
        const committedAt = trace.find((e) => e.kind === "persist" && e.node === p && e.key === "txn:t1" && e.value === "committed")?.seq ?? Infinity;
        expect(committedAt).toBeLessThan(heard[1]?.seq ?? -1);
        expect(trace.filter((e) => e.kind === "persist" && e.node === p && e.key === "txn:t1" && e.seq > committedAt)).toEqual([]);
      }
      const note = run.sim.trace.find((e) => e.kind === "note" && e.label === "twice");
      if (twice.length === 0) expect(note).toBeUndefined();
      else expect(note?.kind === "note" && note.text.startsWith(`Participant${twice.length > 1 ? "s" : ""} ${twice.join(" and ")} heard COMMIT twice`)).toBe(true);
    });
  }

  it("lets the checker catch a participant that aborts when in doubt", () => {
    const run = checkScenario(scenario("2pc-blocks"), 1, "abort-when-in-doubt");
    expect(run.sim.violation?.checker).toBe("2PC: atomicity");
    expect(run.sim.violation?.message).toMatch(/aborted at node 1/);
  });

  const coordinatorDown = (s: LabelState) => expect(s.sim.isUp(COORDINATOR)).toBe(false);
  labelTests(scenario("2pc-blocks"), {
    prepare: (s) => {
      expect(s.sim.trace.filter((e) => e.kind === "send" && e.msg.type === "prepare").map((e) => (e.kind === "send" ? e.to : -1))).toEqual(PARTICIPANTS);
      expect(twoPc(s, COORDINATOR)?.decisions[TXN]).toBeUndefined();
    },
    crash: (s) => {
      coordinatorDown(s);
      expect(s.sim.storage(COORDINATOR).get("decision:t1")).toBe("commit");
      expect(s.sim.trace.some((e) => e.kind === "deliver" && e.msg.type === "decision")).toBe(false);
      allPrepared(s);
    },
    blocked: (s) => {
      coordinatorDown(s);
      allPrepared(s);
    },
    restart: (s) => {
      expect(s.sim.trace.filter((e) => (e.kind === "crash" || e.kind === "restart") && e.node === 1).map((e) => e.kind)).toEqual(["crash", "restart"]);
      expect(s.sim.isUp(1)).toBe(true);
      allPrepared(s);
    },
    "still-blocked": (s) => {
      coordinatorDown(s);
      allPrepared(s);
      const queries = s.sim.trace.filter((e) => e.kind === "drop" && e.msg.type === "status-query").length;
      expect(s.note.text).toContain(`${queries} questions lost`);
    },
    recover: (s) => {
      expect(s.sim.isUp(COORDINATOR)).toBe(true);
      expect(twoPc(s, COORDINATOR)?.decisions[TXN]).toBe("commit");
    },
    twice: (s) => {
      expect(txnStates(s)).toEqual(["committed", "committed", "committed", "committed"]);
      const twice = repeatedDecisions(s.sim.trace, COORDINATOR);
      expect(twice.length).toBeGreaterThan(0);
      expect(s.note.text.startsWith(`Participant${twice.length > 1 ? "s" : ""} ${twice.join(" and ")} heard COMMIT twice`)).toBe(true);
    },
  });
  labelTests(
    scenario("2pc-blocks"),
    {
      prepare: (s) => expect(twoPc(s, COORDINATOR)?.decisions[TXN]).toBeUndefined(),
      crash: (s) => {
        coordinatorDown(s);
        allPrepared(s);
      },
      blocked: (s) => {
        coordinatorDown(s);
        allPrepared(s);
      },
    },
    { seed: 1, variant: "abort-when-in-doubt" },
  );
});

describe("lesson 1: consensus keeps going, and is not atomic commit", () => {
  it("chooses 'commit t1' with nodes 0 and 3 down, although node 3 never took part", () => {
    const run = checkScenario(scenario("majority-keeps-going"), 1);
    expect(run.sim.violation).toBeUndefined();
    for (const id of [1, 2, 4]) expect(run.sim.node<BasicPaxosNode>(id)?.inspect().learned).toBe("commit t1");
    // Node 3 was down from the first event to the last: it sent nothing, received nothing and restarted never.
    expect(run.sim.isUp(3)).toBe(false);
    expect(run.sim.trace.some((e) => (e.kind === "send" && e.from === 3) || (e.kind === "deliver" && e.to === 3) || (e.kind === "restart" && e.node === 3))).toBe(false);
  });

  const paxos = (s: LabelState, id: NodeId) => s.sim.node<BasicPaxosNode>(id)?.inspect();
  labelTests(scenario("majority-keeps-going"), {
    paxos: (s) => {
      expect([0, 3].map((id) => s.sim.isUp(id))).toEqual([false, false]);
      expect([1, 2, 4].map((id) => paxos(s, id)?.learned)).toEqual([undefined, undefined, undefined]);
    },
    chosen: (s) => {
      expect([1, 2, 4].filter((id) => paxos(s, id)?.acceptor.accepted?.v === "commit t1").length).toBeGreaterThanOrEqual(3);
      expect([0, 3].map((id) => s.sim.isUp(id))).toEqual([false, false]);
    },
    "not-atomic-commit": (s) => {
      expect(s.sim.trace.some((e) => e.kind === "send" && e.from === 3)).toBe(false);
      expect(s.sim.isUp(3)).toBe(false);
    },
  });
});

describe("lesson 1: the decision replicated with Paxos", () => {
  for (const seed of [1, 7]) {
    it(`commits at every participant while the coordinator stays down, with no help from it (seed ${seed})`, () => {
      const run = checkScenario(scenario("replicated-decision"), seed);
      expect(run.sim.violation).toBeUndefined();
      const crash = run.sim.trace.find((e) => e.kind === "crash" && e.node === COORDINATOR);
      expect(crash).toBeDefined();
      expect(run.sim.trace.some((e) => e.kind === "restart" && e.node === COORDINATOR)).toBe(false);
      // After its crash the coordinator sends nothing; participants learn only from each other and the acceptors.
      expect(run.sim.trace.some((e) => e.kind === "send" && e.from === COORDINATOR && e.seq > (crash?.seq ?? 0))).toBe(false);
      for (const id of PARTICIPANTS) expect(run.sim.node<TwoPcNode>(id)?.inspect().txns.t1).toBe("committed");
      expect(run.result).toMatch(/committed at 4 of 4 participants while the coordinator stayed down/);
    });
  }

  it("stays atomic and finishes within 3 s of the last fault on 40 seeds of random crashes, cuts and losses", () => {
    for (let seed = 1; seed <= 40; seed++) {
      const result = runTwoPcRandom(seed, { node: { replicateDecision: {} } });
      expect(result.violation, `seed ${seed}`).toBeUndefined();
      expect(result.live, `seed ${seed}: replay with runTwoPcRandom(${seed}, { node: { replicateDecision: {} } })`).toBe(true);
    }
  });

  const acceptedCommit = (s: LabelState) => [0, 1, 2, 3, 4].filter((id) => twoPc(s, id)?.acceptors?.[TXN]?.accepted?.v === "commit");
  labelTests(scenario("replicated-decision"), {
    prepare: (s) => expect(s.sim.trace.filter((e) => e.kind === "send" && e.msg.type === "prepare").length).toBe(4),
    crash: (s) => {
      expect(s.sim.isUp(COORDINATOR)).toBe(false);
      expect(s.sim.trace.filter((e): e is Send => e.kind === "send" && e.msg.type === "paxos-accept" && e.from === COORDINATOR).map((e) => (e.msg as { v?: string }).v)).toContain("commit");
      expect(s.sim.trace.some((e) => e.kind === "send" && e.msg.type === "decision")).toBe(false);
      allPrepared(s);
    },
    "chosen-unknown": (s) => {
      expect(acceptedCommit(s).length).toBeGreaterThanOrEqual(3);
      expect(s.sim.isUp(COORDINATOR)).toBe(false);
      allPrepared(s);
    },
    recovery: (s) => {
      const who = s.sim.trace.find((e): e is Send => e.kind === "send" && e.msg.type === "paxos-prepare" && e.from !== COORDINATOR)?.from ?? -1;
      // The first participant in line (participant 1) recovers first, as the README says.
      expect(who).toBe(1);
      expect(twoPc(s, who)?.proposals?.[TXN]).toBe("abort");
      expect(s.note.text).toContain(`Participant ${who} proposes ABORT`);
    },
    adopt: (s) => {
      const accepts = s.sim.trace.filter((e): e is Send => e.kind === "send" && e.msg.type === "paxos-accept" && e.from !== COORDINATOR);
      expect(accepts.length).toBeGreaterThan(0);
      expect(accepts.every((e) => (e.msg as { v?: string }).v === "commit")).toBe(true);
      expect(twoPc(s, accepts[0]?.from ?? -1)?.proposals?.[TXN]).toBe("abort");
    },
    finished: (s) => {
      expect(txnStates(s)).toEqual(["committed", "committed", "committed", "committed"]);
      expect(s.sim.isUp(COORDINATOR)).toBe(false);
      expect(s.note.text).toContain("still down");
    },
  });
});
