// The Basic Paxos rules as pure functions: acceptor (phases 1b, 2b), proposer (1a, 2a) and learner.

import { describe, expect, it } from "vitest";
import { chooseValue, compareBallots, formatBallot, learnFromAccepted, nextProposalNumber, onAccept, onPrepare, type AcceptorState, type Ballot } from "../src/index.js";

const b = (round: number, node: number): Ballot => ({ round, node });
const frozen = <T>(x: T): T => Object.freeze(x);

describe("ballots", () => {
  it("order by round, then by node id, with no ballot lowest", () => {
    expect(compareBallots(b(1, 4), b(2, 0))).toBeLessThan(0);
    expect(compareBallots(b(2, 1), b(2, 3))).toBeLessThan(0);
    expect(compareBallots(b(2, 3), b(2, 3))).toBe(0);
    expect(compareBallots(undefined, b(0, 0))).toBeLessThan(0);
    expect(formatBallot(b(3, 2))).toBe("3.2");
  });
});

describe("acceptor, phase 1b (onPrepare)", () => {
  it("promises a first prepare and reports nothing accepted", () => {
    expect(onPrepare(frozen({}), { type: "prepare", n: b(1, 2) })).toEqual({ state: { promised: b(1, 2) }, reply: { type: "promise", n: b(1, 2) } });
  });
  it("reports the accepted proposal with its promise", () => {
    const state: AcceptorState = frozen({ promised: b(1, 2), accepted: { n: b(1, 2), v: "x" } });
    expect(onPrepare(state, { type: "prepare", n: b(2, 4) }).reply).toEqual({ type: "promise", n: b(2, 4), accepted: { n: b(1, 2), v: "x" } });
  });
  it("refuses a prepare below its promise, naming the promise, and keeps its state", () => {
    const state: AcceptorState = frozen({ promised: b(3, 1) });
    const step = onPrepare(state, { type: "prepare", n: b(2, 4) });
    expect(step.state).toBe(state);
    expect(step.reply).toEqual({ type: "nack", phase: "prepare", n: b(2, 4), promised: b(3, 1) });
  });
  it("answers a repeated prepare with the same promise (duplicates are harmless)", () => {
    expect(onPrepare(frozen({ promised: b(2, 4) }), { type: "prepare", n: b(2, 4) }).reply.type).toBe("promise");
  });
});

describe("acceptor, phase 2b (onAccept)", () => {
  it("accepts at its promise and records the value", () => {
    expect(onAccept(frozen({ promised: b(1, 2) }), { type: "accept", n: b(1, 2), v: "x" })).toEqual({
      state: { promised: b(1, 2), accepted: { n: b(1, 2), v: "x" } },
      reply: { type: "accepted", n: b(1, 2), v: "x" },
    });
  });
  it("accepting a higher number also raises the promise", () => {
    expect(onAccept(frozen({ promised: b(1, 2) }), { type: "accept", n: b(2, 0), v: "y" }).state.promised).toEqual(b(2, 0));
  });
  it("refuses below its promise", () => {
    const state: AcceptorState = frozen({ promised: b(2, 3) });
    const step = onAccept(state, { type: "accept", n: b(2, 1), v: "x" });
    expect(step).toEqual({ state, reply: { type: "nack", phase: "accept", n: b(2, 1), promised: b(2, 3) } });
  });
});

describe("proposer rules", () => {
  it("phase 2a: proposes its own value when no promise reports one", () => {
    expect(chooseValue([{}, {}, {}], "mine")).toBe("mine");
  });
  it("phase 2a: adopts the value of the highest-numbered accepted proposal", () => {
    const promises = [{ accepted: { n: b(1, 3), v: "old" } }, {}, { accepted: { n: b(2, 1), v: "newer" } }, { accepted: { n: b(1, 4), v: "mid" } }];
    expect(chooseValue(promises, "mine")).toBe("newer");
  });
  it("phase 1a: a new number above its own rounds and every refusal, carrying its id", () => {
    expect(nextProposalNumber([], 0, 2)).toEqual(b(1, 2));
    expect(nextProposalNumber([b(4, 1), b(2, 3)], 1, 2)).toEqual(b(5, 2));
    expect(nextProposalNumber([b(1, 4)], 3, 0)).toEqual(b(4, 0));
  });
});

describe("learner", () => {
  const accepted = (n: Ballot, v: string) => ({ type: "accepted" as const, n, v });
  it("learns when a majority accepted the same number, not before", () => {
    let tally = {};
    const results = [0, 1, 2].map((from) => {
      const step = learnFromAccepted(tally, from, accepted(b(1, 0), "x"), 5);
      tally = step.tally;
      return step.chosen;
    });
    expect(results).toEqual([undefined, undefined, "x"]);
  });
  it("does not count a duplicate twice, nor mix different numbers", () => {
    let step = learnFromAccepted({}, 0, accepted(b(1, 0), "x"), 3);
    step = learnFromAccepted(step.tally, 0, accepted(b(1, 0), "x"), 3);
    expect(step.chosen).toBeUndefined();
    step = learnFromAccepted(step.tally, 1, accepted(b(2, 1), "x"), 3);
    expect(step.chosen).toBeUndefined();
    step = learnFromAccepted(step.tally, 2, accepted(b(2, 1), "x"), 3);
    expect(step.chosen).toBe("x");
  });
});
