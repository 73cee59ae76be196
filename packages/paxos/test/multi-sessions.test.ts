// Client sessions as pure functions: a command's name, how a request becomes a command, and execute-at-most-once.

import { describe, expect, it } from "vitest";
import { clientCommandOf, commandId, commandKey, executeOnce, sameCommand, type Sessions } from "../src/index.js";
import { cmd } from "./multi-commands.js";

describe("executeOnce", () => {
  const none: Sessions = new Map();

  it("executes a client's first command and remembers its number and slot", () => {
    const run = executeOnce(none, 4, cmd("a", 1));
    expect(run).toEqual({ sessions: new Map([["alice", { seq: 1, slot: 4 }]]), execute: true, slot: 4 });
    expect(none.size).toBe(0);
  });

  it("skips a copy of the latest command and answers with the slot of its first execution", () => {
    const after = executeOnce(none, 0, cmd("a", 1)).sessions;
    const copy = executeOnce(after, 3, cmd("a", 1));
    expect(copy).toEqual({ sessions: after, execute: false, slot: 0 });
  });

  it("skips a copy of an older command without an answer: its client already had one", () => {
    let sessions = executeOnce(none, 0, cmd("a", 1)).sessions;
    sessions = executeOnce(sessions, 1, cmd("b", 2)).sessions;
    expect(executeOnce(sessions, 2, cmd("a", 1))).toEqual({ sessions, execute: false });
  });

  it("keeps clients apart, and runs a higher number even after a gap", () => {
    let sessions = executeOnce(none, 0, cmd("a", 1, "alice")).sessions;
    const bob = executeOnce(sessions, 1, cmd("a", 1, "bob"));
    expect(bob.execute).toBe(true);
    sessions = bob.sessions;
    const jump = executeOnce(sessions, 2, cmd("c", 5, "alice"));
    expect(jump.execute).toBe(true);
    expect(jump.sessions.get("alice")).toEqual({ seq: 5, slot: 2 });
    expect(jump.sessions.get("bob")).toEqual({ seq: 1, slot: 1 });
  });
});

describe("clientCommandOf", () => {
  const request = (op: unknown, id = 7, client = "alice") => ({ id, client, op });

  it("reads { op, seq } as a command of the client's session", () => {
    expect(clientCommandOf(request({ op: "x=1", seq: 3 }))).toEqual({ client: "alice", seq: 3, op: "x=1" });
  });

  it("makes any other op a command of its own, named after the request", () => {
    expect(clientCommandOf(request("x=1"))).toEqual({ client: "alice#7", seq: 1, op: "x=1" });
    expect(clientCommandOf(request({ put: 1 }, 8))).toEqual({ client: "alice#8", seq: 1, op: '{"put":1}' });
  });

  it("refuses a number below 1, a fraction, a missing or non-text op", () => {
    expect(clientCommandOf(request({ op: "x", seq: 0 }))).toEqual({ error: "a command's seq must be a whole number from 1, got 0" });
    expect(clientCommandOf(request({ op: "x", seq: 1.5 }))).toHaveProperty("error");
    expect(clientCommandOf(request({ seq: 1 }))).toEqual({ error: "a command's op must be a string, got undefined" });
  });
});

describe("command names and keys", () => {
  it("names a command by client and number only; keys and sameCommand compare the whole value", () => {
    expect(commandId(cmd("a", 1))).toBe(commandId(cmd("b", 1)));
    expect(commandId(cmd("a", 1))).not.toBe(commandId(cmd("a", 2)));
    expect(commandId(cmd("a", 1, "x#1"))).not.toBe(commandId(cmd("a", 1, "x")));
    expect(commandKey(cmd("a", 1))).not.toBe(commandKey(cmd("b", 1)));
    expect(commandKey(null)).not.toBe(commandKey(cmd("null")));
    expect(sameCommand(cmd("a", 1), { ...cmd("a", 1) })).toBe(true);
    expect(sameCommand(cmd("a", 1), cmd("a", 1, "bob"))).toBe(false);
    expect(sameCommand(null, null)).toBe(true);
    expect(sameCommand(null, cmd("a"))).toBe(false);
  });
});
