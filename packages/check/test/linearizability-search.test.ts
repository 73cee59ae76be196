// The search: limits that answer "unknown", long histories without recursion, partitions, explanations, and the models' rules.

import { describe, expect, it } from "vitest";
import { casRegisterModel, checkLinearizable, describeOperation, generateKvHistory, kvModel, type KvInput, type KvOutput, type Operation } from "../src/index.js";

/** Many clients on one key: hard enough that no search finishes it within the limits used here. */
const hard = generateKvHistory({ seed: 1, clients: 50, operations: 300 });

describe("limits", () => {
  it("a time limit on the caller's clock stops with 'unknown' and what was explored, without throwing", () => {
    let now = 0;
    let reads = 0;
    const clock = () => {
      reads++;
      return (now += 1);
    };
    const r = checkLinearizable(kvModel, hard, { timeLimitMs: 20, clock });
    expect(r.verdict).toBe("unknown");
    expect(r.stoppedBy).toBe("time");
    expect(r.partitions[0]?.verdict).toBe("unknown");
    expect(r.partitions[0]?.explored).toBeGreaterThan(0);
    // Read at the start, then now and then (not on every step), until 20 units had passed.
    expect(reads).toBe(21);
  });

  it("without a clock there is no time limit, and the checker never reads the time itself", () => {
    const easy = generateKvHistory({ seed: 2, clients: 3, operations: 300 });
    expect(checkLinearizable(kvModel, easy, { timeLimitMs: 0 }).verdict).toBe("ok");
  });

  it("a limit on explored states gives the same answer every time", () => {
    const a = checkLinearizable(kvModel, hard, { maxExplored: 5000 });
    const b = checkLinearizable(kvModel, hard, { maxExplored: 5000 });
    expect(a).toMatchObject({ verdict: "unknown", stoppedBy: "explored" });
    expect(a.partitions[0]?.explored).toBe(5000);
    expect(b).toEqual(a);
  });

  it("refuses a negative or NaN limit", () => {
    expect(() => checkLinearizable(kvModel, [], { maxExplored: -1 })).toThrow(/maxExplored must be a number >= 0/);
    expect(() => checkLinearizable(kvModel, [], { timeLimitMs: Number.NaN, clock: () => 0 })).toThrow(/timeLimitMs must be a number >= 0/);
  });
});

describe("long histories (iterative search, bitset memo)", () => {
  it("20,000 operations on one key by one client: a stack 20,000 deep, no overflow", () => {
    const ok = generateKvHistory({ seed: 3, clients: 1, operations: 20_000 });
    expect(checkLinearizable(kvModel, ok)).toMatchObject({ verdict: "ok", partitions: [{ verdict: "ok", operations: 20_000 }] });
    const bad = generateKvHistory({ seed: 3, clients: 1, operations: 20_000, illegal: true });
    const r = checkLinearizable(kvModel, bad);
    expect(r.verdict).toBe("illegal");
    // The read made stale is the one that cannot be placed, near the end.
    const stale = bad.find((o, i) => o.input.op === "get" && o.output.value !== ok[i]?.output.value) as Operation<KvInput, KvOutput>;
    expect(r.explanation?.unplaceable).toEqual([stale.id]);
    expect(r.explanation?.longestPrefix.length).toBeGreaterThan(19_000);
  });

  it("20,000 operations on one key by five concurrent clients, valid and with one stale read", () => {
    expect(checkLinearizable(kvModel, generateKvHistory({ seed: 4, clients: 5, operations: 20_000 })).verdict).toBe("ok");
    expect(checkLinearizable(kvModel, generateKvHistory({ seed: 4, clients: 5, operations: 20_000, illegal: true })).verdict).toBe("illegal");
  });

  it("20,000 puts, appends, compare-and-sets and reads on one key, some calls never answered", () => {
    const h = generateKvHistory({ seed: 5, clients: 3, operations: 20_000, kinds: ["get", "put", "append", "cas"], lostRate: 0.002 });
    expect(h.some((o) => o.return === Infinity)).toBe(true);
    expect(checkLinearizable(kvModel, h).verdict).toBe("ok");
  });
});

const op = (id: number, key: string, input: { op: KvInput["op"]; value?: string; expected?: string | null }, output: KvOutput, call: number, ret: number): Operation<KvInput, KvOutput> => ({ id, client: id, call, return: ret, input: { ...input, key } as KvInput, output });

describe("partitions and explanations", () => {
  const staleOnB = [
    op(0, "b", { op: "put", value: "1" }, {}, 0, 10),
    op(1, "b", { op: "put", value: "2" }, {}, 20, 30),
    op(2, "b", { op: "get" }, { value: "1" }, 40, 50),
  ];

  it("stops at the first illegal partition: illegal wins, later ones are skipped", () => {
    const fine = [op(10, "a", { op: "put", value: "1" }, {}, 0, 10), op(11, "a", { op: "get" }, { value: "1" }, 20, 30)];
    const hardOnC = hard.map((o) => ({ ...o, id: o.id + 100, client: o.client + 1000, input: { ...o.input, key: "c" } }));
    const r = checkLinearizable(kvModel, [...fine, ...staleOnB, ...hardOnC]);
    expect(r.verdict).toBe("illegal");
    expect(r.partitions.map((p) => [p.verdict, p.operations, p.skipped ?? false])).toEqual([
      ["ok", 2, false],
      ["illegal", 3, false],
      ["unknown", 300, true],
    ]);
    expect(r.explanation?.partition).toBe(1);
    expect(r.partitions[1]?.ids).toEqual([0, 1, 2]);
  });

  it("explains a stale read: the longest prefix, the state after it, the operation that cannot follow", () => {
    const r = checkLinearizable(kvModel, staleOnB);
    expect(r.explanation?.longestPrefix).toEqual([0, 1]);
    expect(r.explanation?.unplaceable).toEqual([2]);
    expect(r.explanation?.describe.join("\n")).toContain(
      [
        "The longest linearizable prefix has 2 operations:",
        '  1. put(b, "1") [id 0, client 0, 0..10]',
        '  2. put(b, "2") [id 1, client 1, 20..30]',
        'State after it: "2".',
        "None of the operations that must come next is possible from that state:",
        '  get(b) -> "1" [id 2, client 2, 40..50]',
      ].join("\n"),
    );
  });

  it("names every operation that could come next when none can", () => {
    const r = checkLinearizable(kvModel, [op(0, "x", { op: "get" }, { value: "a" }, 0, 10), op(1, "x", { op: "get" }, { value: "b" }, 0, 10)]);
    expect(r.explanation).toMatchObject({ longestPrefix: [], unplaceable: [0, 1] });
    expect(r.explanation?.describe[1]).toBe("Not even the first operation can be placed.");
  });

  it("shortens a long prefix in words but keeps every id", () => {
    const bad = generateKvHistory({ seed: 6, clients: 1, operations: 200, illegal: true });
    const e = checkLinearizable(kvModel, bad).explanation;
    expect(e?.describe.some((line) => /\.\.\. \d+ earlier operations, then:/.test(line))).toBe(true);
    expect(e?.describe.length).toBeLessThan(20);
    expect(e?.longestPrefix.length).toBeGreaterThan(100);
  });
});

describe("the models' rules", () => {
  const step = (state: string | null, input: KvInput, output: KvOutput) => kvModel.step(state, input, output);
  it("get, put, append", () => {
    expect(step(null, { op: "get", key: "k" }, { value: null })).toEqual({ ok: true, next: null });
    expect(step("a", { op: "get", key: "k" }, { value: null }).ok).toBe(false);
    expect(step("", { op: "get", key: "k" }, { value: null }).ok).toBe(false);
    expect(step("a", { op: "put", key: "k", value: "b" }, {})).toEqual({ ok: true, next: "b" });
    expect(step(null, { op: "append", key: "k", value: "b" }, {})).toEqual({ ok: true, next: "b" });
    expect(step("a", { op: "append", key: "k", value: "b" }, {})).toEqual({ ok: true, next: "ab" });
    // A write known to have failed changed nothing.
    expect(step("a", { op: "put", key: "k", value: "b" }, { ok: false })).toEqual({ ok: true, next: "a" });
  });

  it("compare-and-set succeeds exactly when the value is the expected one", () => {
    const cas = (expected: string | null): KvInput => ({ op: "cas", key: "k", expected, value: "new" });
    expect(step("a", cas("a"), { ok: true })).toEqual({ ok: true, next: "new" });
    expect(step("b", cas("a"), { ok: true }).ok).toBe(false);
    expect(step("b", cas("a"), { ok: false })).toEqual({ ok: true, next: "b" });
    expect(step("a", cas("a"), { ok: false }).ok).toBe(false);
    expect(step(null, cas(null), { ok: true })).toEqual({ ok: true, next: "new" });
  });

  it("an unknown outcome is possible from any state, with the effect it would have had", () => {
    expect(step("a", { op: "get", key: "k" }, { unknown: true })).toEqual({ ok: true, next: "a" });
    expect(step("a", { op: "cas", key: "k", expected: "a", value: "n" }, { unknown: true })).toEqual({ ok: true, next: "n" });
    expect(step("b", { op: "cas", key: "k", expected: "a", value: "n" }, { unknown: true })).toEqual({ ok: true, next: "b" });
    expect(step("b", { op: "put", key: "k", value: "n" }, { unknown: true })).toEqual({ ok: true, next: "n" });
  });

  it("the kv model partitions by key and leaves out reads that never got an answer", () => {
    const parts = kvModel.partition?.([op(0, "a", { op: "get" }, { value: null }, 0, 1), op(1, "b", { op: "get" }, { unknown: true }, 0, Infinity), op(2, "a", { op: "put", value: "1" }, {}, 0, 1), op(3, "b", { op: "put", value: "1" }, {}, 0, 1)]);
    expect(parts?.map((p) => p.map((o) => o.id))).toEqual([[0, 2], [3]]);
  });

  it("a compare-and-set register: a lost cas may have happened", () => {
    const reg = (id: number, input: import("../src/index.js").RegisterInput, output: KvOutput, call: number, ret: number) => ({ id, client: id, call, return: ret, input, output });
    const h = [reg(0, { op: "put", value: "a" }, {}, 0, 1), reg(1, { op: "cas", expected: "a", value: "b" }, { unknown: true }, 2, Infinity), reg(2, { op: "get" }, { value: "b" }, 5, 6)];
    expect(checkLinearizable(casRegisterModel, h).verdict).toBe("ok");
    expect(checkLinearizable(casRegisterModel, [...h, reg(3, { op: "get" }, { value: "a" }, 7, 8)]).verdict).toBe("illegal");
    expect(describeOperation(casRegisterModel, h[1] as Operation<import("../src/index.js").RegisterInput, KvOutput>)).toBe('cas("a" -> "b") -> no answer [id 1, client 1, 2..no answer]');
  });
});
