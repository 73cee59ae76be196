// The graded Raft runs end with a linearizability check of the final values against the clients' history: it passes the course's store and catches one that breaks real-time order.

import { describe, expect, it } from "vitest";
import { KvStore, type Command, type KvImage } from "@course/raft";
import { SeedRun } from "../graded.js";
import { runRaft } from "./raft.js";

const reference = (state: KvImage, command: Command) => {
  const kv = KvStore.from(state);
  const result = kv.apply(command);
  return { state: kv.toJSON(), result };
};

/** Applies each append exactly once, but puts the new token in front: every write lands, in the wrong order. */
const prepending = (state: KvImage, command: Command) => {
  if (command.kind !== "client" || command.op.type !== "append") return reference(state, command);
  const seen = state.sessions[command.client];
  if (command.seq !== undefined && seen !== undefined && command.seq <= seen.seq) return { state, result: seen.result };
  const value = command.op.value + (state.data[command.op.key] ?? "");
  const sessions = command.seq === undefined ? state.sessions : { ...state.sessions, [command.client]: { seq: command.seq, result: value } };
  return { state: { data: { ...state.data, [command.op.key]: value }, sessions }, result: value };
};

/** Stores each append in front, like `prepending`, but answers with the value as if appended: only the final values show it. */
const prependingWithHonestAnswers = (state: KvImage, command: Command) => {
  const { state: next, result } = prepending(state, command);
  // A repeat (next === state) already answers with the recorded, honest-looking result.
  if (command.kind !== "client" || command.op.type !== "append" || next === state) return { state: next, result };
  const answer = String(result).split(";").slice(0, -1).reverse().map((t) => `${t};`).join("");
  const sessions = command.seq === undefined ? next.sessions : { ...next.sessions, [command.client]: { seq: command.seq, result: answer } };
  return { state: { ...next, sessions }, result: answer };
};

describe("the linearizability check at the end of a graded Raft run", () => {
  it("passes the course's own key-value store", () => {
    for (const seed of [1, 2, 3]) expect(runRaft(new SeedRun(seed, false), { raft: {}, applyCommand: reference, clients: 2 })).toBeUndefined();
  });

  it("rejects a store that applies every append once but out of order, which the count of tokens cannot see", () => {
    const failure = runRaft(new SeedRun(1, false), { raft: {}, applyCommand: prepending, clients: 2 });
    expect(failure).toMatch(/^(linearizability: the final value of k\d on server \d is "(\d+;)+", but its client sent commands 1 to \d+ one at a time|reply: c\d's command \d+ \(append)/);
  });

  it("rejects a store whose answers look right but whose final values hold the commands out of order", () => {
    const failure = runRaft(new SeedRun(1, false), { raft: {}, applyCommand: prependingWithHonestAnswers, clients: 2 });
    expect(failure).toMatch(/^linearizability: the final value of k\d on server \d is "(\d+;)+", but its client sent commands 1 to \d+ one at a time/);
  });
});
