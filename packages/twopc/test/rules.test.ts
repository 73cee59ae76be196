// Two-phase commit's rules as pure functions: the commit decision, votes, decisions and recovery.

import { describe, expect, it } from "vitest";
import { decide, onDecision, onPrepareTxn, recover, recoverDecision } from "../src/index.js";

const votes = (entries: Array<[number, boolean]>) => new Map(entries);

describe("coordinator: decide", () => {
  it("commits only when every participant voted yes", () => {
    expect(decide(votes([[1, true], [2, true], [3, true]]), [1, 2, 3], false)).toBe("commit");
    expect(decide(votes([[1, true], [2, true]]), [1, 2, 3], false)).toBeUndefined();
  });
  it("aborts on the first no, without waiting", () => {
    expect(decide(votes([[2, false]]), [1, 2, 3], false)).toBe("abort");
  });
  it("aborts when votes are missing at the time-out", () => {
    expect(decide(votes([[1, true], [2, true]]), [1, 2, 3], true)).toBe("abort");
  });
  it("a restarted coordinator answers its logged decision, else abort", () => {
    expect(recoverDecision("commit")).toBe("commit");
    expect(recoverDecision(undefined)).toBe("abort");
  });
});

describe("participant", () => {
  const prepare = { type: "prepare" as const, txn: "t" };
  it("votes yes and becomes prepared when it can commit, no and aborted when it cannot", () => {
    expect(onPrepareTxn("working", prepare, true)).toEqual({ state: "prepared", reply: { type: "vote", txn: "t", yes: true } });
    expect(onPrepareTxn("working", prepare, false)).toEqual({ state: "aborted", reply: { type: "vote", txn: "t", yes: false } });
  });
  it("repeats its vote for a repeated prepare", () => {
    expect(onPrepareTxn("prepared", prepare, false).reply.yes).toBe(true);
    expect(onPrepareTxn("aborted", prepare, true).reply.yes).toBe(false);
  });
  it("follows the decision once, and ignores a second one", () => {
    expect(onDecision("prepared", { type: "decision", txn: "t", decision: "commit" })).toBe("committed");
    expect(onDecision("committed", { type: "decision", txn: "t", decision: "abort" })).toBe("committed");
  });
  it("after a restart: aborts what it never voted on, asks about what it prepared", () => {
    expect(recover("working")).toEqual({ state: "aborted", action: "none" });
    expect(recover("prepared")).toEqual({ state: "prepared", action: "ask-coordinator" });
    expect(recover("committed")).toEqual({ state: "committed", action: "none" });
  });
});
