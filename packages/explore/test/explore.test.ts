// The explorer's search: completeness, shortest counterexamples, symmetry, replays that match the search, and planted bugs found.

import { describe, expect, it } from "vitest";
import { parseTrace, serializeTrace } from "@course/sim";
import { explore, replayOf, replayTrace, resolveRun, replayPath, type ExploreOptions } from "../src/index.js";

/** A small Raft bound: one election, no client request (a few dozen states); no lifetime bound, so the set is exact. */
const tinyRaft: ExploreOptions = { protocol: "raft", timers: 1, requests: 0, lifetime: 0 };

describe("explore: the search", () => {
  it("breadth-first and depth-first search reach the same states when both exhaust a bound", () => {
    const bfs = explore({ ...tinyRaft, strategy: "bfs", depth: 60 });
    const dfs = explore({ ...tinyRaft, strategy: "dfs", depth: 60 });
    expect(bfs.exhausted).toBe(true);
    expect(dfs.exhausted).toBe(true);
    expect(bfs.depthCut).toBe(0);
    expect(bfs.violation).toBeUndefined();
    expect(dfs.distinctStates).toBe(bfs.distinctStates);
    // Every state of the bound is reached from the start, so a bigger budget can only add states.
    const wider = explore({ ...tinyRaft, requests: 1, depth: 60 });
    expect(wider.distinctStates).toBeGreaterThan(bfs.distinctStates);
  });

  it("a bound that stops the search early says it was not exhausted", () => {
    const cut = explore({ ...tinyRaft, requests: 1, maxStates: 50 });
    expect(cut.exhausted).toBe(false);
    expect(cut.distinctStates).toBeLessThanOrEqual(51);
  });

  it("breadth-first search returns a shortest counterexample: one step less finds nothing", () => {
    const found = explore({ protocol: "2pc", variant: "commit-on-majority" });
    expect(found.violation?.invariant).toBe("2PC: commit needs every yes vote");
    const depth = found.violation?.depth as number;
    expect(depth).toBeGreaterThan(1);
    const shorter = explore({ protocol: "2pc", variant: "commit-on-majority", depth: depth - 1 });
    expect(shorter.violation).toBeUndefined();
    expect(shorter.exhausted).toBe(true);
    // Depth-first search finds a violation too, never a shorter one.
    const dfs = explore({ protocol: "2pc", variant: "commit-on-majority", strategy: "dfs" });
    expect(dfs.violation?.depth).toBeGreaterThanOrEqual(depth);
  });

  it("symmetry merges renamed states without losing a violation or inventing one", () => {
    const withSym = explore({ ...tinyRaft, requests: 1, depth: 60 });
    const without = explore({ ...tinyRaft, requests: 1, depth: 60, symmetry: false });
    expect(withSym.symmetry).toBe(true);
    expect(without.symmetry).toBe(false);
    expect(withSym.exhausted && without.exhausted).toBe(true);
    expect(withSym.violation ?? without.violation).toBeUndefined();
    expect(withSym.distinctStates).toBeLessThan(without.distinctStates);
    // Three interchangeable servers: at most 3! renamings of a state merge into one.
    expect(withSym.distinctStates * 6).toBeGreaterThanOrEqual(without.distinctStates);
    const bug = { protocol: "raft", variant: "vote-for-everyone" } as const;
    const a = explore(bug);
    const b = explore({ ...bug, symmetry: false });
    expect(a.violation?.invariant).toBe("Election Safety");
    expect(b.violation?.invariant).toBe("Election Safety");
    expect(a.violation?.depth).toBe(b.violation?.depth);
  });

  it("a counterexample found from checkpoints replays the same from the start, and its trace file round-trips", () => {
    const found = explore({ protocol: "raft", variant: "vote-without-up-to-date-check" });
    const v = found.violation;
    expect(v?.invariant).toBe("Leader Completeness");
    const straight = replayPath(resolveRun({ protocol: "raft", variant: "vote-without-up-to-date-check" }), v?.path ?? []);
    expect(straight.sim.violation?.checker).toBe("Leader Completeness");
    expect(straight.sim.violation?.message).toBe(v?.message);
    const file = parseTrace(serializeTrace(v!.trace));
    expect(replayOf(file).path).toEqual(v?.path);
    expect(replayTrace(file).sim.violation?.checker).toBe("Leader Completeness");
    expect(file.events.length).toBeGreaterThan(0);
  });
});

describe("explore: the reference at every protocol's default bound", () => {
  // Two of the bounds the README quotes (npm run bench -- explore runs all four); each exhausts without a violation,
  // with the state count the README's table gives: a change that makes the search faster must find the same states.
  for (const [protocol, states] of [
    ["multi-paxos", 22_688],
    ["raft", 46_724],
  ] as const) {
    it(`${protocol}: the default bound is exhausted with no violation, at ${states} distinct states`, () => {
      const r = explore({ protocol });
      expect(r.violation).toBeUndefined();
      expect(r.exhausted).toBe(true);
      expect(r.distinctStates).toBe(states);
    });
  }
});

/**
 * Planted bugs the search finds at their default bound, with the invariant that catches each. (The full list, with
 * the variants not found at the default bounds, is in the README; these are the quick ones CI runs.)
 */
const FOUND: ReadonlyArray<readonly [ExploreOptions["protocol"], string, string]> = [
  ["2pc", "commit-on-majority", "2PC: commit needs every yes vote"],
  ["2pc", "presume-commit", "2PC: commit needs every yes vote"],
  ["2pc", "abort-when-in-doubt", "2PC: atomicity"],
  ["paxos", "accept-below-promise", "Paxos: no accept below a promise"],
  ["paxos", "learn-on-first-accepted", "Paxos: learners learn the chosen value"],
  ["multi-paxos", "learn-from-one", "Multi-Paxos: apply only chosen commands"],
  ["raft", "vote-for-everyone", "Election Safety"],
  ["raft", "vote-without-up-to-date-check", "Leader Completeness"],
  ["raft", "naive-commit", "Leader Completeness"],
  // Persistence bugs name a bound with one crash: they show only when a server restarts from its disk.
  ["raft", "skip-log-persistence", "Applied Entries Durable"],
  ["raft", "forget-voted-for", "Election Safety"],
];

describe("explore: planted bugs are found", () => {
  for (const [protocol, variant, invariant] of FOUND) {
    it(`${protocol} --variant ${variant}: ${invariant}`, () => {
      const r = explore({ protocol, variant });
      expect(r.violation?.invariant).toBe(invariant);
    });
  }
});
