// Lesson 2's run: four message delays from request to learning; acceptors tell the learners, and learners only listen.

import { describe, expect, it } from "vitest";
import type { TraceEvent } from "@course/sim";
import { countSends, formatBallot, messageDelaysUntil, type BasicPaxosNode, type PaxosMessage } from "@course/paxos";
import { checkScenario } from "../03-paxos-failures/scenario-checks.js";
import { labelTests, type LabelState } from "../label-checks.js";
import { lesson02 } from "./index.js";

const happyPath = lesson02.scenarios[0] as (typeof lesson02.scenarios)[number];
const NODES = [0, 1, 2, 3, 4];
type Send = Extract<TraceEvent, { kind: "send" }>;

describe("lesson 2: the happy path", () => {
  for (const seed of [1, 7]) {
    it(`chooses x=42 on all five nodes in four message delays (seed ${seed})`, () => {
      const run = checkScenario(happyPath, seed);
      expect(run.sim.violation).toBeUndefined();
      for (const id of NODES) expect(run.sim.node<BasicPaxosNode>(id)?.inspect().learned).toBe("x=42");
      const delays = messageDelaysUntil(run.sim.trace, (e) => e.kind === "state" && (e.view as { learned?: unknown }).learned != null);
      expect(delays).toBe(4);
      expect(run.result).toContain("4 message delays");
      const sent = run.sim.trace.filter((e) => e.kind === "send").length;
      expect(run.result).toContain(`${sent} messages`);
    });

    it(`has acceptors tell every learner, and learners learn from a majority without telling anyone (seed ${seed})`, () => {
      const trace = happyPath.run({ seed }).sim.trace;
      const accepted = trace.filter((e): e is Send => e.kind === "send" && e.msg.type === "accepted");
      // Every acceptor that accepts sends "accepted" to all five learners.
      for (const from of NODES) expect(accepted.filter((e) => e.from === from).map((e) => e.to).sort()).toEqual(NODES);
      for (const learner of NODES) {
        const learnedAt = trace.find((e) => e.kind === "state" && e.node === learner && (e.view as { learned?: unknown }).learned != null);
        expect(learnedAt, `learner ${learner}`).toBeDefined();
        const heard = new Set(trace.filter((e) => e.kind === "deliver" && e.to === learner && e.msg.type === "accepted" && e.seq < (learnedAt?.seq ?? 0)).map((e) => (e.kind === "deliver" ? e.from : -1)));
        expect(heard.size, `learner ${learner} heard a majority first`).toBeGreaterThanOrEqual(3);
        // Learning sends nothing: no message leaves a node in the step in which it learns.
        expect(trace.some((e) => e.kind === "send" && e.from === learner && e.step === learnedAt?.step)).toBe(false);
      }
    });
  }

  it("costs forty messages, 25 of them accepted, and is chosen before any learner knows it; learners learn at different times", () => {
    const trace = happyPath.run({ seed: 1 }).sim.trace;
    expect(countSends(trace)).toMatchObject({ total: 40, byType: { prepare: 5, promise: 5, accept: 5, accepted: 25 } });
    const acceptedAt = trace.filter((e) => e.kind === "state" && (e.view as { accepted?: unknown }).accepted != null).map((e) => e.seq);
    const learnedAt = trace.filter((e) => e.kind === "state" && (e.view as { learned?: unknown }).learned != null).map((e) => e.time);
    const firstLearn = trace.find((e) => e.kind === "state" && (e.view as { learned?: unknown }).learned != null)?.seq ?? 0;
    expect(acceptedAt[2]).toBeLessThan(firstLearn);
    expect(new Set(learnedAt).size).toBeGreaterThan(1);
  });

  const view = (s: LabelState, id: number) => s.sim.node<BasicPaxosNode>(id)?.inspect();
  labelTests(happyPath, {
    "phase-1": (s) => {
      expect(view(s, 0)?.proposer.phase).toBe("prepare");
      expect(s.sim.trace.filter((e) => e.kind === "send" && e.msg.type === "prepare")).toHaveLength(5);
    },
    "phase-2": (s) => {
      const p = view(s, 0)?.proposer;
      expect(p?.phase).toBe("accept");
      expect(p?.promises.size).toBeGreaterThanOrEqual(3);
      expect(s.note.text).toContain(`Acceptors ${[...(p?.promises.keys() ?? [])].sort((a, b) => a - b).join(", ")} have promised n=${formatBallot(p?.ballot)}`);
      expect(s.sim.trace.some((e) => e.kind === "send" && e.msg.type === "accept" && (e.msg as PaxosMessage & { v?: string }).v === "x=42")).toBe(true);
    },
    learn: (s) => {
      const learned = NODES.filter((id) => view(s, id)?.learned === "x=42");
      expect(learned.length).toBeGreaterThan(0);
      expect(s.note.text).toContain(`Learner ${learned[0]} has heard`);
      const acceptedBy = NODES.filter((id) => view(s, id)?.acceptor.accepted?.v === "x=42");
      expect(acceptedBy.length).toBeGreaterThanOrEqual(3);
      expect(s.note.text).toContain(`acceptors ${acceptedBy.join(", ")} have accepted it`);
    },
    count: (s) => {
      expect(NODES.every((id) => view(s, id)?.learned === "x=42")).toBe(true);
      expect(s.note.text).toContain("costs 4 message delays");
    },
  });
});
