// Shards of a seed range are disjoint, contiguous, balanced and cover the range exactly once; "i/n" is read strictly.

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { describeRange, parseShard, rangeValues, shardOf } from "../src/index.js";

describe("sharding a seed range", () => {
  it("reads i/n and refuses shards that do not exist", () => {
    expect(parseShard("3/8")).toEqual({ index: 3, count: 8 });
    expect(parseShard(" 1 / 1 ")).toEqual({ index: 1, count: 1 });
    expect(() => parseShard("0/8")).toThrow(/does not exist/);
    expect(() => parseShard("9/8")).toThrow(/does not exist/);
    expect(() => parseShard("3")).toThrow(/written i\/n/);
    expect(() => parseShard("a/b")).toThrow(/written i\/n/);
  });

  it("splits 100,000 seeds into 8 equal pieces", () => {
    expect(shardOf({ first: 1, count: 100_000 }, { index: 1, count: 8 })).toEqual({ first: 1, count: 12_500 });
    expect(shardOf({ first: 1, count: 100_000 }, { index: 8, count: 8 })).toEqual({ first: 87_501, count: 12_500 });
    expect(describeRange({ first: 25_001, count: 12_500 }, { first: 1, count: 100_000 })).toBe("seeds 25,001..37,500 (12,500) of 1..100,000");
  });

  it("covers any range exactly once, in order, with pieces that differ by at most one", () => {
    fc.assert(
      fc.property(fc.integer({ min: -50, max: 10_000 }), fc.integer({ min: 0, max: 500 }), fc.integer({ min: 1, max: 40 }), (first, count, n) => {
        const pieces = Array.from({ length: n }, (_, k) => shardOf({ first, count }, { index: k + 1, count: n }));
        expect(pieces.flatMap(rangeValues)).toEqual(rangeValues({ first, count }));
        const sizes = pieces.map((p) => p.count);
        expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
      }),
    );
  });
});
