// Malformed histories are refused with an error that names the operation; event streams and JSON round-trip into operations.

import { describe, expect, it } from "vitest";
import {
  HistoryError,
  casRegisterModel,
  checkLinearizable,
  kvModel,
  operationsFromEvents,
  readRecordedHistory,
  recordHistory,
  validateHistory,
  type HistoryEvent,
  type KvInput,
  type KvOutput,
  type Operation,
} from "../src/index.js";

const put = (id: number, client: number, call: number, ret: number, value = "1"): Operation<KvInput, KvOutput> => ({ id, client, call, return: ret, input: { op: "put", key: "x", value }, output: {} });
const get = (id: number, client: number, call: number, ret: number, value: string | null): Operation<KvInput, KvOutput> => ({ id, client, call, return: ret, input: { op: "get", key: "x" }, output: { value } });

/** The HistoryError a history gets, or undefined; checkLinearizable must refuse it the same way. */
function refusal(history: unknown): string | undefined {
  let message: string | undefined;
  try {
    validateHistory(kvModel, history as Operation<KvInput, KvOutput>[]);
  } catch (e) {
    expect(e).toBeInstanceOf(HistoryError);
    message = (e as Error).message;
  }
  const check = () => checkLinearizable(kvModel, history as Operation<KvInput, KvOutput>[]);
  if (message === undefined) expect(check).not.toThrow();
  else expect(check).toThrow(HistoryError);
  return message;
}

describe("history validation", () => {
  it("accepts a well-formed history, including an empty one", () => {
    expect(() => validateHistory(kvModel, [])).not.toThrow();
    expect(checkLinearizable(kvModel, [])).toEqual({ verdict: "ok", partitions: [] });
    expect(() => validateHistory(kvModel, [put(0, 0, 0, 1), get(1, 0, 1, 2, "1"), { ...put(2, 1, 0, Infinity), output: { unknown: true } }])).not.toThrow();
  });

  it("refuses duplicate ids, naming both operations", () => {
    expect(refusal([put(7, 0, 0, 1), put(7, 1, 0, 1)])).toMatch(/operation #1 \(id 7\): id 7 is already used by operation #0/);
  });

  it("refuses non-finite and missing times", () => {
    expect(refusal([put(0, 0, Number.NaN, 1)])).toMatch(/call time must be a finite number, got NaN/);
    expect(refusal([put(0, 0, -Infinity, 1)])).toMatch(/call time must be a finite number, got -Infinity/);
    expect(refusal([put(0, 0, 0, Number.NaN)])).toMatch(/return time must be a number .* got NaN/);
    expect(refusal([{ ...put(0, 0, 0, 5), call: undefined }])).toMatch(/has a return \(at 5\) but no call/);
    expect(refusal([{ ...put(0, 0, 0, 5), return: undefined }])).toMatch(/return time must be a number/);
  });

  it("refuses a return before its call (equal times are fine)", () => {
    expect(refusal([put(0, 0, 10, 9)])).toMatch(/operation #0 \(id 0\) returns \(at 9\) before its call \(at 10\)/);
    expect(refusal([put(0, 0, 10, 10)])).toBeUndefined();
  });

  it("refuses overlapping calls by one client, and says what to do after a timeout", () => {
    expect(refusal([put(0, 3, 0, 10), get(1, 3, 5, 12, "1")])).toMatch(/client 3 has overlapping calls: id 0 \(called at 0, returned at 10\) and id 1 \(called at 5\).*new client number/);
    expect(refusal([{ ...put(0, 3, 0, Infinity), output: { unknown: true } }, get(1, 3, 50, 60, "1")])).toMatch(/client 3 has overlapping calls: id 0 \(called at 0, returned at Infinity\)/);
    // Back to back is not overlapping.
    expect(refusal([put(0, 3, 0, 10), get(1, 3, 10, 12, "1")])).toBeUndefined();
  });

  it("refuses unknown kinds and missing fields instead of guessing", () => {
    expect(refusal([{ ...put(0, 0, 0, 1), input: { op: "increment", key: "x" } }])).toMatch(/unknown kind "increment" \(expected one of get, put, append, cas\)/);
    expect(refusal([{ ...put(0, 0, 0, 1), input: { op: "put", key: "x" } }])).toMatch(/its put has no value/);
    expect(refusal([{ ...put(0, 0, 0, 1), input: { op: "put", value: "1" } }])).toMatch(/its put has no key/);
    expect(refusal([{ ...get(0, 0, 0, 1, null), output: {} }])).toMatch(/its get has no value in the output/);
    expect(refusal([{ id: 0, client: 0, call: 0, return: 1, input: { op: "cas", key: "x", expected: "a", value: "b" }, output: {} }])).toMatch(/its cas has no `ok`/);
    expect(refusal([{ id: 0, client: 0, call: 0, return: 1, input: { op: "cas", key: "x", value: "b" }, output: { ok: true } }])).toMatch(/its cas has no expected value/);
    expect(() => validateHistory(casRegisterModel, [{ id: 0, client: 0, call: 0, return: 1, input: { op: "append", value: "b" } as never, output: {} }])).toThrow(/unknown kind "append" \(expected one of get, put, cas\)/);
  });

  it("refuses an unknown outcome with a finite return, and an Infinity return with a known outcome", () => {
    expect(refusal([{ ...put(0, 0, 0, 5), output: { unknown: true } }])).toMatch(/unknown outcome but returns at 5: .* must be Infinity/);
    expect(refusal([put(0, 0, 0, Infinity)])).toMatch(/never returned \(return Infinity\) yet has a known output/);
  });

  it("refuses things that are not histories", () => {
    expect(refusal("nope")).toMatch(/a history is an array of operations/);
    expect(refusal([null])).toMatch(/operation #0 is not an object/);
    expect(refusal([{ ...put(0, 0, 0, 1), id: 1.5 }])).toMatch(/its id must be an integer, got 1.5/);
    expect(refusal([{ ...put(0, 0, 0, 1), client: "a" }])).toMatch(/its client must be an integer, got "a"/);
  });
});

describe("histories as events", () => {
  const call = (id: number, client: number, time: number, input: KvInput): HistoryEvent<KvInput, KvOutput> => ({ kind: "call", id, client, time, input });
  const ret = (id: number, time: number, output: KvOutput): HistoryEvent<KvInput, KvOutput> => ({ kind: "return", id, time, output });

  it("pairs calls with returns", () => {
    const ops = operationsFromEvents([call(1, 0, 0, { op: "put", key: "x", value: "1" }), call(2, 1, 1, { op: "get", key: "x" }), ret(1, 2, {}), ret(2, 3, { value: "1" })]);
    expect(ops).toEqual([put(1, 0, 0, 2), get(2, 1, 1, 3, "1")]);
    expect(checkLinearizable(kvModel, ops).verdict).toBe("ok");
  });

  it("refuses a return without a call, a second call or return, and a return before its call", () => {
    expect(() => operationsFromEvents([ret(4, 2, {})])).toThrow(/event #0 is a return for operation 4, which was never called/);
    expect(() => operationsFromEvents([call(1, 0, 0, { op: "get", key: "x" }), call(1, 0, 1, { op: "get", key: "x" })])).toThrow(/event #1 calls operation 1 again/);
    expect(() => operationsFromEvents([call(1, 0, 0, { op: "get", key: "x" }), ret(1, 1, { value: null }), ret(1, 2, { value: null })])).toThrow(/returns operation 1 a second time/);
    expect(() => operationsFromEvents([call(1, 0, 5, { op: "get", key: "x" }), ret(1, 4, { value: null })])).toThrow(/returns operation 1 at 4, before its call at 5/);
  });

  it("turns a call without a return into an unknown outcome only when asked", () => {
    const events = [call(1, 0, 0, { op: "put", key: "x", value: "1" })];
    expect(() => operationsFromEvents(events)).toThrow(/operation 1 \(client 0, called at 0\) never returned/);
    expect(operationsFromEvents(events, { unanswered: { unknown: true } })).toEqual([{ ...put(1, 0, 0, Infinity), output: { unknown: true } }]);
  });
});

describe("recorded histories (JSON)", () => {
  it("round-trip through JSON, Infinity included", () => {
    const ops = [put(0, 0, 0, 1), { ...put(1, 1, 0, Infinity, "2"), output: { unknown: true } }, get(2, 0, 2, 3, "2")];
    const text = JSON.stringify(recordHistory(kvModel, ops, ["c1", "c2"]));
    const back = readRecordedHistory(JSON.parse(text));
    expect(back.model).toBe(kvModel);
    expect(back.operations).toEqual(ops);
    expect(back.clients).toEqual(["c1", "c2"]);
  });

  it("refuses an unknown model and malformed operations", () => {
    expect(() => readRecordedHistory({ model: "queue", operations: [] })).toThrow(/unknown model "queue" \(known: kv, cas-register\)/);
    expect(() => readRecordedHistory({ model: "kv" })).toThrow(/no operations array/);
    expect(() => readRecordedHistory({ model: "kv", operations: [{ ...put(0, 0, 0, 1), call: "soon" }] })).toThrow(HistoryError);
  });
});
