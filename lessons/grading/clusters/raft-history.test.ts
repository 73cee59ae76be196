// The graded Raft runs end with a linearizability check of the final values against the clients' history: it passes the course's store, catches one that breaks real-time order, and agrees with checkLinearizable.

import { describe, expect, it } from "vitest";
import type { Simulation } from "@course/sim";
import { checkLinearizable, kvHistoryFromRequests, kvModel, type KvInput, type KvOutput, type Operation } from "@course/check";
import { KvStore, type Command, type KvImage, type RaftMessage, type RaftNode } from "@course/raft";
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

/** The general checker's verdict on a finished graded run: the clients' history, then a read of each key from the server that applied most. */
function checkerVerdict(run: SeedRun): string {
  const sim = run.simulation as Simulation<RaftMessage>;
  let best: RaftNode | undefined;
  for (const id of sim.nodeIds) {
    const n = sim.node<RaftNode>(id);
    if (n !== undefined && (best === undefined || n.lastApplied > best.lastApplied)) best = n;
  }
  const { operations } = kvHistoryFromRequests(sim.requests);
  const keys = [...new Set(operations.map((o) => o.input.key))];
  let id = Math.max(0, ...operations.map((o) => o.id)) + 1;
  let client = Math.max(0, ...operations.map((o) => o.client)) + 1;
  const reads: Operation<KvInput, KvOutput>[] = keys.map((key) => ({ id: id++, client: client++, call: sim.now, return: sim.now, input: { op: "get", key }, output: { value: best?.kv.get(key) ?? null } }));
  return checkLinearizable(kvModel, [...operations, ...reads], { maxExplored: 2_000_000 }).verdict;
}

describe("the direct check agrees with the general linearizability checker", () => {
  // The graded runs check the final values directly (each key has one client appending numbered tokens, so the value
  // fixes the order); this is the same question checkLinearizable answers by search, asked of the same runs.
  it("both accept the course's store and both reject the out-of-order store, seed by seed", () => {
    for (const seed of [1, 2, 3, 4]) {
      const good = new SeedRun(seed, false);
      expect(runRaft(good, { raft: {}, applyCommand: reference, clients: 2 })).toBeUndefined();
      expect(checkerVerdict(good), `seed ${seed}`).toBe("ok");
      const bad = new SeedRun(seed, false);
      const direct = runRaft(bad, { raft: {}, applyCommand: prependingWithHonestAnswers, clients: 2 });
      expect(direct, `seed ${seed}`).toMatch(/^linearizability: /);
      expect(checkerVerdict(bad), `seed ${seed}`).toBe("illegal");
    }
  });
});
