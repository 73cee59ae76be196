// The linearizability checker on hand-written key-value histories, then Raft's ReadIndex reads versus unsafe local reads.

import { describe, expect, it } from "vitest";
import { Simulation, randomFaults, type ScheduledRequest } from "@course/sim";
import { createRaftNode, type RaftMessage, type RaftNode, type RaftOptions } from "@course/raft";
import { checkLinearizable, kvHistoryFromRequests, kvModel, raftInvariants, type KvInput, type KvOutput, type Operation } from "../src/index.js";
import { checkedCluster, electLeader, submit } from "./raft-lab.js";

let nextId = 0;
/** An operation on key x; each gets its own client, so any overlap is allowed. */
function op(kind: "put" | "append" | "get", value: string | null, call: number, ret: number, done = true): Operation<KvInput, KvOutput> {
  const id = nextId++;
  const input: KvInput = kind === "get" ? { op: "get", key: "x" } : { op: kind, key: "x", value: value as string };
  const output: KvOutput = !done ? { unknown: true } : kind === "get" ? { value } : {};
  return { id, client: id, call, return: done ? ret : Infinity, input, output };
}
const verdict = (history: Operation<KvInput, KvOutput>[]) => checkLinearizable(kvModel, history).verdict;

describe("linearizability checker, key-value histories", () => {
  it("accepts sequential and overlapping histories that have a valid order", () => {
    expect(verdict([op("put", "1", 0, 10), op("get", "1", 20, 30)])).toBe("ok");
    // A read overlapping a write may see either value.
    expect(verdict([op("put", "1", 0, 10), op("put", "2", 20, 40), op("get", "1", 25, 30)])).toBe("ok");
    expect(verdict([op("put", "1", 0, 10), op("put", "2", 20, 40), op("get", "2", 25, 30)])).toBe("ok");
    expect(verdict([op("append", "a", 0, 10), op("append", "b", 5, 15), op("get", "ba", 20, 30)])).toBe("ok");
  });

  it("rejects a stale read and a read of a value never written", () => {
    expect(verdict([op("put", "1", 0, 10), op("put", "2", 20, 30), op("get", "1", 40, 50)])).toBe("illegal");
    expect(verdict([op("get", "7", 0, 10)])).toBe("illegal");
    expect(verdict([op("append", "a", 0, 10), op("get", "", 20, 30)])).toBe("illegal");
  });

  it("orders appended tokens by what reads saw, against real time", () => {
    expect(verdict([op("append", "a;", 0, 10), op("append", "b;", 20, 30), op("get", "b;a;", 40, 50)])).toBe("illegal");
    expect(verdict([op("append", "a;", 0, 10), op("append", "b;", 5, 30), op("get", "b;a;", 40, 50)])).toBe("ok");
    expect(verdict([op("get", "a;", 0, 1), op("append", "a;", 5, 10)])).toBe("illegal");
    expect(verdict([op("append", "a;", 0, Infinity, false), op("get", "a;", 5, 6), op("get", "a;", 7, 8)])).toBe("ok");
    expect(verdict([op("append", "a;", 0, 10), op("get", "a;a;", 20, 30)])).toBe("illegal");
  });

  it("lets a write with an unknown outcome take effect late or never", () => {
    expect(verdict([op("put", "1", 0, Infinity, false), op("get", null, 5, 6), op("get", "1", 50, 60)])).toBe("ok");
    expect(verdict([op("put", "1", 0, Infinity, false), op("get", null, 5, 6), op("get", null, 50, 60)])).toBe("ok");
    // Once seen, it has happened: it cannot un-happen.
    expect(verdict([op("put", "1", 0, Infinity, false), op("get", "1", 5, 6), op("get", null, 50, 60)])).toBe("illegal");
    // It cannot take effect before it was called.
    expect(verdict([op("get", "1", 0, 4), op("put", "1", 5, Infinity, false)])).toBe("illegal");
  });

  it("treats operations that touch at one instant as concurrent", () => {
    expect(verdict([op("put", "1", 0, 10), op("get", null, 10, 20)])).toBe("ok");
    expect(verdict([op("put", "1", 0, 10), op("get", null, 11, 20)])).toBe("illegal");
  });

  it("checks keys independently and names the illegal one", () => {
    const y = (o: Operation<KvInput, KvOutput>): Operation<KvInput, KvOutput> => ({ ...o, input: { ...o.input, key: "y" } });
    const history = [op("put", "1", 0, 10), y(op("put", "2", 0, 10)), op("get", "1", 20, 30), y(op("get", "1", 20, 30))];
    const r = checkLinearizable(kvModel, history);
    expect(r.verdict).toBe("illegal");
    expect(r.partitions).toHaveLength(2);
    expect(r.partitions.map((p) => p.verdict)).toEqual(["ok", "illegal"]);
    expect(r.illegalOperations?.every((o) => o.input.key === "y")).toBe(true);
  });

  it("the README's example: a read that began after a put returned must see it", () => {
    const history: Operation<KvInput, KvOutput>[] = [
      { id: 0, client: 0, call: 0, return: 10, input: { op: "put", key: "x", value: "1" }, output: {} },
      { id: 1, client: 1, call: 20, return: 30, input: { op: "get", key: "x" }, output: { value: null } },
    ];
    let now = 0;
    const r = checkLinearizable(kvModel, history, { timeLimitMs: 5000, clock: () => now++ });
    expect(r.verdict).toBe("illegal");
    expect(r.explanation).toMatchObject({ longestPrefix: [0], unplaceable: [1] });
  });

  it("merges retries of one session command into one write", () => {
    const sim = checkedCluster(3);
    electLeader(sim);
    const write = { type: "append", key: "k", value: "a", seq: 1 };
    submit(sim, write, "c");
    submit(sim, write, "c");
    submit(sim, { type: "get", key: "k" }, "c");
    const { operations } = kvHistoryFromRequests(sim.requests);
    expect(operations.filter((o) => o.input.op === "append")).toHaveLength(1);
    expect(checkLinearizable(kvModel, operations).verdict).toBe("ok");
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
      const { operations } = kvHistoryFromRequests(sim.requests);
      expect(operations.filter((o) => o.input.op === "get").length).toBeGreaterThan(3);
      const r = checkLinearizable(kvModel, operations);
      expect(r.verdict, `seed ${seed}: ${r.explanation?.describe.join("\n")}`).toBe("ok");
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
      return checkLinearizable(kvModel, kvHistoryFromRequests(sim.requests).operations);
    };
    expect(run(false).verdict).toBe("ok");
    const stale = run(true);
    expect(stale.verdict).toBe("illegal");
    expect(stale.illegalOperations?.[0]?.input.key).toBe("x");
    // The stale read is the operation that cannot be placed.
    const read = stale.illegalOperations?.find((o) => o.input.op === "get");
    expect(stale.explanation?.unplaceable).toContain(read?.id);
  });
});
