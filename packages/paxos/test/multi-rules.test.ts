// The Multi-Paxos rules as pure functions: per-slot acceptor, the new leader's merge, and the per-slot learner.

import { describe, expect, it } from "vitest";
import { learnSlot, mergePhase1, onMultiAccept, onMultiPrepare, type Ballot, type MPromise, type MultiAcceptorState } from "../src/index.js";
import { cmd } from "./multi-commands.js";

const b = (round: number, node: number): Ballot => ({ round, node });
const promise = (n: Ballot, from: number, accepted: MPromise["accepted"]): MPromise => ({ type: "promise", n, from, accepted });

describe("Multi-Paxos acceptor", () => {
  const state: MultiAcceptorState = Object.freeze({
    promised: b(1, 0),
    accepted: new Map([
      [0, { n: b(1, 0), v: cmd("a") }],
      [2, { n: b(1, 0), v: cmd("c") }],
      [5, { n: b(1, 0), v: null }],
    ]),
  });
  it("promises for every slot from `from` on and reports only those slots", () => {
    const step = onMultiPrepare(state, { type: "prepare", n: b(2, 3), from: 2 });
    expect(step.reply).toEqual(promise(b(2, 3), 2, [[2, { n: b(1, 0), v: cmd("c") }], [5, { n: b(1, 0), v: null }]]));
    expect(step.state.promised).toEqual(b(2, 3));
    expect(state.promised).toEqual(b(1, 0));
  });
  it("refuses a lower prepare and a lower accept", () => {
    const promised = onMultiPrepare(state, { type: "prepare", n: b(2, 3), from: 0 }).state;
    expect(onMultiPrepare(promised, { type: "prepare", n: b(2, 1), from: 0 }).reply.type).toBe("nack");
    const refused = onMultiAccept(promised, { type: "accept", n: b(1, 0), slot: 7, v: cmd("z") });
    expect(refused.reply).toEqual({ type: "nack", phase: "accept", n: b(1, 0), promised: b(2, 3) });
    expect(refused.state.accepted.has(7)).toBe(false);
  });
  it("accepts into one slot without touching the others", () => {
    const step = onMultiAccept(state, { type: "accept", n: b(1, 0), slot: 1, v: cmd("b") });
    expect([...step.state.accepted.keys()].sort()).toEqual([0, 1, 2, 5]);
    expect(state.accepted.has(1)).toBe(false);
  });
});

describe("mergePhase1 (a new leader's recovery of open slots)", () => {
  it("re-proposes the highest-numbered value per slot and fills gaps with no-ops", () => {
    const merge = mergePhase1(
      [
        promise(b(3, 1), 2, [[2, { n: b(1, 0), v: cmd("old") }], [4, { n: b(2, 2), v: cmd("e") }]]),
        promise(b(3, 1), 2, [[2, { n: b(2, 4), v: cmd("new") }]]),
        promise(b(3, 1), 2, []),
      ],
      2,
    );
    expect(merge).toEqual({ proposals: [[2, cmd("new")], [3, null], [4, cmd("e")]], nextSlot: 5 });
  });
  it("has nothing to recover when no promise reports an open slot", () => {
    expect(mergePhase1([promise(b(1, 0), 3, []), promise(b(1, 0), 3, [])], 3)).toEqual({ proposals: [], nextSlot: 3 });
  });
  it("ignores slots below the phase 1 start", () => {
    expect(mergePhase1([promise(b(1, 0), 2, [[1, { n: b(1, 0), v: cmd("x") }]])], 2)).toEqual({ proposals: [], nextSlot: 2 });
  });
});

describe("learnSlot", () => {
  const accepted = (slot: number, n = b(1, 0)) => ({ type: "accepted" as const, n, slot, v: cmd(`s${slot}`) });
  it("chooses a slot once a quorum (here 2, a majority of 3) accepted the same number, per slot", () => {
    let s = learnSlot(new Map(), 0, accepted(0), 2);
    expect(s.chosen).toBeUndefined();
    s = learnSlot(s.tally, 1, accepted(1), 2);
    expect(s.chosen).toBeUndefined();
    s = learnSlot(s.tally, 1, accepted(0), 2);
    expect(s.chosen).toEqual({ slot: 0, v: cmd("s0") });
  });
  it("counts an acceptor once, and acceptances of different numbers apart", () => {
    let s = learnSlot(new Map(), 0, accepted(0), 2);
    s = learnSlot(s.tally, 0, accepted(0), 2);
    expect(s.chosen).toBeUndefined();
    s = learnSlot(s.tally, 1, accepted(0, b(2, 1)), 2);
    expect(s.chosen).toBeUndefined();
  });
  it("uses the quorum size it is given, not a majority: 1 chooses at once, 4 of 5 waits for the fourth", () => {
    expect(learnSlot(new Map(), 3, accepted(0), 1).chosen).toEqual({ slot: 0, v: cmd("s0") });
    let s = learnSlot(new Map(), 0, accepted(0), 4);
    for (const from of [1, 2]) s = learnSlot(s.tally, from, accepted(0), 4);
    expect(s.chosen).toBeUndefined();
    expect(learnSlot(s.tally, 4, accepted(0), 4).chosen).toEqual({ slot: 0, v: cmd("s0") });
  });
});
