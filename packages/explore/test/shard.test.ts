// A search split into pieces: every piece is a real search, together they cover the whole bound, and bad pieces are refused.

import { describe, expect, it } from "vitest";
import { explore, type ExploreOptions } from "../src/index.js";

/** A small Raft bound with one client request and no lifetime bound (an exact state set). */
const smallRaft: ExploreOptions = { protocol: "raft", timers: 1, requests: 1, lifetime: 0, depth: 60 };

describe("explore --shard", () => {
  it("one piece of one is the whole search", () => {
    const whole = explore(smallRaft);
    const one = explore({ ...smallRaft, shard: { index: 1, count: 1 } });
    expect(one.distinctStates).toBe(whole.distinctStates);
    expect(one.exhausted).toBe(true);
    expect(one.shard).toEqual({ index: 1, count: 1, splitDepth: 0 });
  });

  it("three pieces split one level among them, each exhausts its part, and together they reach at least every state", () => {
    const whole = explore(smallRaft);
    const pieces = [1, 2, 3].map((index) => explore({ ...smallRaft, shard: { index, count: 3 } }));
    const split = pieces[0]?.shard?.splitDepth;
    expect(split).toBeGreaterThan(0);
    for (const p of pieces) {
      expect(p.exhausted).toBe(true);
      expect(p.shard?.splitDepth).toBe(split);
      expect(p.distinctStates).toBeLessThan(whole.distinctStates);
    }
    // The levels above the split are in every piece; below it a state may be reached from two pieces.
    expect(pieces.reduce((n, p) => n + p.distinctStates, 0)).toBeGreaterThanOrEqual(whole.distinctStates);
  });

  it("a planted bug is found by a piece, with the same invariant the whole search finds", () => {
    const bug: ExploreOptions = { protocol: "2pc", variant: "commit-on-majority" };
    const whole = explore(bug);
    const pieces = [1, 2, 3, 4].map((index) => explore({ ...bug, shard: { index, count: 4 } }));
    const found = pieces.filter((p) => p.violation !== undefined);
    expect(found.length).toBeGreaterThan(0);
    for (const p of found) expect(p.violation?.invariant).toBe(whole.violation?.invariant);
    // A piece that finds nothing has explored all of its part.
    for (const p of pieces) if (p.violation === undefined) expect(p.exhausted).toBe(true);
  });

  it("refuses a piece that does not exist and a depth-first split", () => {
    expect(() => explore({ ...smallRaft, shard: { index: 0, count: 3 } })).toThrow(/shard 0\/3 does not exist/);
    expect(() => explore({ ...smallRaft, shard: { index: 4, count: 3 } })).toThrow(/shard 4\/3 does not exist/);
    expect(() => explore({ ...smallRaft, strategy: "dfs", shard: { index: 1, count: 2 } })).toThrow(/only breadth-first/);
  });
});
