// The graded Raft runs end with a linearizability check of the clients' appends against the final values: it passes the course's store and catches one that breaks real-time order.

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

describe("the linearizability check at the end of a graded Raft run", () => {
  it("passes the course's own key-value store", () => {
    for (const seed of [1, 2, 3]) expect(runRaft(new SeedRun(seed, false), { raft: {}, applyCommand: reference, clients: 2 })).toBeUndefined();
  });

  it("rejects a store that applies every append once but out of order, which the count of tokens cannot see", () => {
    const failure = runRaft(new SeedRun(1, false), { raft: {}, applyCommand: prepending, clients: 2 });
    expect(failure).toMatch(/^linearizability: the final value of k\d on server \d is "[^"]*": "\d+;" comes after "\d+;", but "\d+;" was answered at [\d.]+ ms, before "\d+;" was even sent$/);
  });
});
