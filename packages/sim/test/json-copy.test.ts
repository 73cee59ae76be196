// jsonCopy gives exactly what a JSON round trip gives, says "unchanged" exactly when the JSON text is unchanged, and shares what did not change.

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { frozenJson, jsonCopy } from "../src/json-copy.js";

const roundTrip = (v: unknown): unknown => {
  const text = JSON.stringify(v);
  return text === undefined ? undefined : JSON.parse(text);
};

/** Values of every shape JSON treats specially: -0, NaN, undefined, holes, Maps, Dates, boxed values, null prototypes, "__proto__" keys. */
const anyValue = fc.anything({
  withBoxedValues: true,
  withMap: true,
  withSet: true,
  withDate: true,
  withNullPrototype: true,
  withObjectString: true,
  withSparseArray: true,
  withTypedArray: true,
  maxDepth: 4,
});

describe("jsonCopy", () => {
  it("gives the same data and the same JSON text as a JSON round trip, for any value", () => {
    fc.assert(
      fc.property(anyValue, (v) => {
        const copy = jsonCopy(undefined, v);
        expect(JSON.stringify(copy)).toBe(JSON.stringify(v));
        expect(copy).toStrictEqual(roundTrip(v));
      }),
      { numRuns: 500 },
    );
  });

  it("returns the previous copy exactly when the JSON text is unchanged, and otherwise the new value's JSON", () => {
    // Pairs that are often equal or nearly so: the second is the first, a copy of it, or another value.
    const pair = anyValue.chain((a) => fc.tuple(fc.constant(a), fc.oneof(fc.constant(a), fc.constant(roundTrip(a)), anyValue)));
    fc.assert(
      fc.property(pair, ([a, b]) => {
        const previous = jsonCopy(undefined, a);
        const next = jsonCopy(previous, b);
        expect(JSON.stringify(next)).toBe(JSON.stringify(b));
        expect(next === previous).toBe(JSON.stringify(a) === JSON.stringify(b));
        // The previous copy is never changed by being compared against.
        expect(JSON.stringify(previous)).toBe(JSON.stringify(a));
      }),
      { numRuns: 500 },
    );
  });

  it("follows a log as it grows, shrinks and changes (nearby values, where sharing and change detection meet)", () => {
    const small = fc.oneof(fc.integer({ min: 0, max: 2 }), fc.constantFrom("a", -0, undefined, null));
    const log = fc.array(fc.oneof(small, fc.record({ index: small, command: small }, { requiredKeys: [] })), { maxLength: 5 });
    // The log is sometimes a frozenJson list, as a Raft node's view gives it.
    const state = fc.record({ term: small, log: fc.oneof(log, log.map((l) => frozenJson(l))), kv: fc.dictionary(fc.constantFrom("x", "y"), small) }, { requiredKeys: [] });
    fc.assert(
      fc.property(fc.array(fc.oneof(state, log), { minLength: 2, maxLength: 6 }), (views) => {
        let previous: unknown;
        for (const v of views) {
          const next = jsonCopy(previous, v);
          expect(JSON.stringify(next)).toBe(JSON.stringify(v));
          expect(next === previous).toBe(previous !== undefined && JSON.stringify(previous) === JSON.stringify(v));
          previous = next;
        }
      }),
      { numRuns: 1000 },
    );
    expect(jsonCopy(jsonCopy(undefined, [1, 2, 3]), [1, 2])).toStrictEqual([1, 2]);
  });

  it("shares the parts that did not change with the previous copy", () => {
    const previous = jsonCopy(undefined, { term: 1, log: [{ index: 1, command: "x=1" }], kv: { x: "1" } }) as Record<string, unknown>;
    const next = jsonCopy(previous, { term: 2, log: [{ index: 1, command: "x=1" }], kv: { x: "1" } }) as Record<string, unknown>;
    expect(next).not.toBe(previous);
    expect(next.term).toBe(2);
    expect(next.log).toBe(previous.log);
    expect(next.kv).toBe(previous.kv);
    const grown = jsonCopy(next, { term: 2, log: [{ index: 1, command: "x=1" }, { index: 2, command: "x=2" }], kv: { x: "1" } }) as Record<string, unknown[]>;
    expect(grown.log).not.toBe(next.log);
    expect(grown.log?.[0]).toBe((next.log as unknown[])[0]);
  });

  it("keeps a frozenJson value as it is (and a list grown from one keeps its lines), but copies any other frozen value", () => {
    const log = frozenJson([{ index: 1, term: 1, command: "x=1" }]);
    expect(Object.isFrozen(log) && Object.isFrozen(log[0])).toBe(true);
    const copy = jsonCopy(undefined, { log }) as { log: unknown };
    expect(copy.log).toBe(log);
    expect(jsonCopy(copy, { log })).toBe(copy);
    // An equal list made again is "unchanged"; a longer one is kept as it is, sharing the old lines.
    expect(jsonCopy(copy, { log: frozenJson([{ index: 1, term: 1, command: "x=1" }]) })).toBe(copy);
    const longer = frozenJson([...log, { index: 2, term: 1, command: "x+=2" }]);
    expect(longer[0]).toBe(log[0]);
    expect((jsonCopy(copy, { log: longer }) as { log: unknown }).log).toBe(longer);
    // frozenJson gives the JSON copy: -0 and undefined are written as JSON writes them.
    expect(frozenJson([-0, undefined, { a: undefined, b: NaN }])).toStrictEqual([0, null, { b: null }]);
    // A value frozen elsewhere may hold a getter that answers differently next time: it is copied, and read once.
    let n = 0;
    const withGetter = Object.freeze({
      get count() {
        return ++n;
      },
    });
    // (withGetter itself stays out of expect(), which would read the getter too.)
    const first = jsonCopy(undefined, withGetter);
    expect(first === withGetter).toBe(false);
    expect(first).toEqual({ count: 1 });
    expect(jsonCopy(first, withGetter)).toEqual({ count: 2 });
  });

  it("fails as JSON does on a bigint and on a cycle", () => {
    expect(() => jsonCopy(undefined, { n: 1n })).toThrow(TypeError);
    const cycle: Record<string, unknown> = { a: 1 };
    cycle.self = cycle;
    expect(() => jsonCopy(undefined, cycle)).toThrow(TypeError);
  });

  it("writes what toJSON returns, with the property's key, and keeps a \"__proto__\" key as data", () => {
    const keyed = { toJSON: (key: string) => `key ${key}` };
    expect(jsonCopy(undefined, { a: keyed, b: [keyed] })).toStrictEqual({ a: "key a", b: ["key 0"] });
    const weird = JSON.parse('{"__proto__": {"x": 1}, "y": 2}') as unknown;
    const copy = jsonCopy(undefined, weird);
    expect(JSON.stringify(copy)).toBe('{"__proto__":{"x":1},"y":2}');
    expect(Object.getPrototypeOf(copy)).toBe(Object.prototype);
  });
});
