// The linearizability checker: hand-written histories, then Raft's ReadIndex reads versus unsafe local reads.

import { describe, expect, it } from "vitest";
import { Simulation, randomFaults, type ScheduledRequest } from "@course/sim";
import { createRaftNode, type RaftMessage, type RaftNode, type RaftOptions } from "@course/raft";
import { checkLinearizable, kvHistory, raftInvariants, type KvOperation } from "../src/index.js";
import { checkedCluster, electLeader, submit } from "./raft-lab.js";

let nextId = 0;
const op = (kind: KvOperation["kind"], value: string | null, invokedAt: number, returnedAt: number, done = true): KvOperation => ({ id: nextId++, key: "x", kind, value, invokedAt, returnedAt, done });

describe("linearizability checker", () => {
  it("accepts sequential and overlapping histories that have a valid order", () => {
    expect(checkLinearizable([op("put", "1", 0, 10), op("get", "1", 20, 30)]).ok).toBe(true);
    // A read overlapping a write may see either value.
    expect(checkLinearizable([op("put", "1", 0, 10), op("put", "2", 20, 40), op("get", "1", 25, 30)]).ok).toBe(true);
    expect(checkLinearizable([op("append", "a", 0, 10), op("append", "b", 5, 15), op("get", "ba", 20, 30)]).ok).toBe(true);
  });

  it("rejects a stale read and a read of a value never written", () => {
    expect(checkLinearizable([op("put", "1", 0, 10), op("put", "2", 20, 30), op("get", "1", 40, 50)]).ok).toBe(false);
    expect(checkLinearizable([op("get", "7", 0, 10)]).ok).toBe(false);
    const bad = checkLinearizable([op("append", "a", 0, 10), op("get", "", 20, 30)]);
    expect(bad).toMatchObject({ ok: false, key: "x" });
  });

  it("orders unique appended tokens by what reads saw, against real time", () => {
    expect(checkLinearizable([op("append", "a;", 0, 10), op("append", "b;", 20, 30), op("get", "b;a;", 40, 50)]).ok).toBe(false);
    expect(checkLinearizable([op("append", "a;", 0, 10), op("append", "b;", 5, 30), op("get", "b;a;", 40, 50)]).ok).toBe(true);
    expect(checkLinearizable([op("get", "a;", 0, 1), op("append", "a;", 5, 10)]).ok).toBe(false);
    expect(checkLinearizable([op("append", "a;", 0, Infinity, false), op("get", "a;", 5, 6), op("get", "a;", 7, 8)]).ok).toBe(true);
    expect(checkLinearizable([op("append", "a;", 0, 10), op("get", "a;a;", 20, 30)]).ok).toBe(false);
  });

  it("lets an unanswered write take effect late or never", () => {
    expect(checkLinearizable([op("put", "1", 0, Infinity, false), op("get", null, 5, 6), op("get", "1", 50, 60)]).ok).toBe(true);
    expect(checkLinearizable([op("put", "1", 0, Infinity, false), op("get", "1", 5, 6), op("get", null, 50, 60)]).ok).toBe(false);
  });

  it("merges retries of one session command into one write", () => {
    const sim = checkedCluster(3);
    electLeader(sim);
    const write = { type: "append", key: "k", value: "a", seq: 1 };
    submit(sim, write, "c");
    submit(sim, write, "c");
    submit(sim, { type: "get", key: "k" }, "c");
    const history = kvHistory(sim.requests);
    expect(history.filter((o) => o.kind === "append")).toHaveLength(1);
    expect(checkLinearizable(history).ok).toBe(true);
  });
});

/** A writer appends with session numbers and a reader reads, each op sent to every server (only a leader acts), under random faults. */
function readWriteRun(seed: number, raft: RaftOptions): Simulation<RaftMessage> {
  const nodes = [0, 1, 2, 3, 4];
  const requests: ScheduledRequest[] = [];
  for (let t = 20, k = 1; t < 3000; t += 40, k++) {
    for (const node of nodes) {
      if (k % 2 === 0) requests.push({ at: t, node, client: "reader", op: { type: "get", key: "k" } });
      else requests.push({ at: t, node, client: "writer", op: { type: "append", key: "k", value: `${k};`, seq: k } });
    }
  }
  return new Simulation<RaftMessage>({
    seed,
    nodes,
    createNode: createRaftNode(raft),
    faults: randomFaults({ seed, nodes, end: 3000, rates: { partition: 1, crash: 0.5, pause: 0.5 } }),
    requests,
    hooks: raftInvariants(),
    record: false,
  });
}

describe("Raft reads and linearizability", () => {
  it("ReadIndex reads stay linearizable under partitions, crashes and pauses", () => {
    for (let seed = 1; seed <= 25; seed++) {
      const sim = readWriteRun(seed, {});
      sim.runUntilTime(4000);
      sim.assertNoViolation();
      const history = kvHistory(sim.requests);
      expect(history.filter((o) => o.kind === "get").length).toBeGreaterThan(3);
      const r = checkLinearizable(history);
      expect(r.ok, `seed ${seed}: key ${r.key}`).toBe(true);
    }
  });

  it("a deposed leader answering reads locally returns stale data, and the checker says so", () => {
    const run = (unsafeLocalReads: boolean) => {
      const sim = checkedCluster(5, { unsafeLocalReads }, 21);
      const old = electLeader(sim);
      submit(sim, "x=1");
      sim.apply({ type: "isolate", node: old.id });
      sim.runUntil(() => [0, 1, 2, 3, 4].some((n) => n !== old.id && sim.node<RaftNode>(n)?.role === "leader"), { timeout: 2000 });
      const fresh = [0, 1, 2, 3, 4].find((n) => n !== old.id && sim.node<RaftNode>(n)?.role === "leader") as number;
      sim.request(fresh, "x=2");
      sim.runFor(300);
      sim.request(old.id, { type: "get", key: "x" });
      sim.runFor(300);
      return checkLinearizable(kvHistory(sim.requests));
    };
    expect(run(false).ok).toBe(true);
    expect(run(true)).toMatchObject({ ok: false, key: "x" });
  });
});
