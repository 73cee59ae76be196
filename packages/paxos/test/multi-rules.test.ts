// The Multi-Paxos rules as pure functions: per-slot acceptor, the new leader's merge, and the per-slot learner.

import { describe, expect, it } from "vitest";
import { learnSlot, mergePhase1, onMultiAccept, onMultiPrepare, type Ballot, type MPromise, type MultiAcceptorState } from "../src/index.js";

const b = (round: number, node: number): Ballot => ({ round, node });
const promise = (n: Ballot, from: number, accepted: MPromise["accepted"]): MPromise => ({ type: "promise", n, from, accepted });

describe("Multi-Paxos acceptor", () => {
  const state: MultiAcceptorState = Object.freeze({
    promised: b(1, 0),
    accepted: new Map([
      [0, { n: b(1, 0), v: "a" }],
      [2, { n: b(1, 0), v: "c" }],
      [5, { n: b(1, 0), v: null }],
    ]),
  });
  it("promises for every slot from `from` on and reports only those slots", () => {
    const step = onMultiPrepare(state, { type: "prepare", n: b(2, 3), from: 2 });
    expect(step.reply).toEqual(promise(b(2, 3), 2, [[2, { n: b(1, 0), v: "c" }], [5, { n: b(1, 0), v: null }]]));
    expect(step.state.promised).toEqual(b(2, 3));
    expect(state.promised).toEqual(b(1, 0));
  });
  it("refuses a lower prepare and a lower accept", () => {
    const promised = onMultiPrepare(state, { type: "prepare", n: b(2, 3), from: 0 }).state;
    expect(onMultiPrepare(promised, { type: "prepare", n: b(2, 1), from: 0 }).reply.type).toBe("nack");
    const refused = onMultiAccept(promised, { type: "accept", n: b(1, 0), slot: 7, v: "z" });
    expect(refused.reply).toEqual({ type: "nack", phase: "accept", n: b(1, 0), promised: b(2, 3) });
    expect(refused.state.accepted.has(7)).toBe(false);
  });
  it("accepts into one slot without touching the others", () => {
    const step = onMultiAccept(state, { type: "accept", n: b(1, 0), slot: 1, v: "b" });
    expect([...step.state.accepted.keys()].sort()).toEqual([0, 1, 2, 5]);
    expect(state.accepted.has(1)).toBe(false);
  });
});

describe("mergePhase1 (a new leader's recovery of open slots)", () => {
  it("re-proposes the highest-numbered value per slot and fills gaps with no-ops", () => {
    const merge = mergePhase1(
      [
        promise(b(3, 1), 2, [[2, { n: b(1, 0), v: "old" }], [4, { n: b(2, 2), v: "e" }]]),
        promise(b(3, 1), 2, [[2, { n: b(2, 4), v: "new" }]]),
        promise(b(3, 1), 2, []),
      ],
      2,
    );
    expect(merge).toEqual({ proposals: [[2, "new"], [3, null], [4, "e"]], nextSlot: 5 });
  });
  it("has nothing to recover when no promise reports an open slot", () => {
    expect(mergePhase1([promise(b(1, 0), 3, []), promise(b(1, 0), 3, [])], 3)).toEqual({ proposals: [], nextSlot: 3 });
  });
  it("ignores slots below the phase 1 start", () => {
    expect(mergePhase1([promise(b(1, 0), 2, [[1, { n: b(1, 0), v: "x" }]])], 2)).toEqual({ proposals: [], nextSlot: 2 });
  });
});

describe("learnSlot", () => {
  it("chooses a slot at a majority of the same number, per slot", () => {
    let tally = new Map();
    const accepted = (slot: number) => ({ type: "accepted" as const, n: b(1, 0), slot, v: `s${slot}` });
    let s = learnSlot(tally, 0, accepted(0), 3);
    tally = s.tally as Map<never, never>;
    s = learnSlot(tally, 1, accepted(1), 3);
    expect(s.chosen).toBeUndefined();
    s = learnSlot(s.tally, 1, accepted(0), 3);
    expect(s.chosen).toEqual({ slot: 0, v: "s0" });
  });
});
