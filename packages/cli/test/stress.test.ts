// Tests of `npm run stress`: arguments, reading failing seeds from the random tests' messages, merging shards, and a real sharded run.

import { describe, expect, it } from "vitest";
import { main, parseStressArgs, runShard } from "../src/stress.js";
import { failuresFromMessage, formatMerged, markdownMerged, mergeShards, type ShardReport } from "../src/stress-report.js";
import { UsageError } from "../src/npm-args.js";
import { RAFT_STRESS_PROFILES } from "@course/check";

describe("stress arguments", () => {
  it("reads --seeds, --shard and --only, and refuses nonsense with a usage error", () => {
    expect(parseStressArgs(["--seeds", "100000", "--shard", "3/8", "--only", "raft,paxos"], {})).toMatchObject({ seeds: 100_000, shard: { index: 3, count: 8 }, only: ["raft", "paxos"] });
    expect(parseStressArgs([], {})).toMatchObject({ seeds: 5000, only: ["twopc", "paxos", "multipaxos", "raft"] });
    expect(() => parseStressArgs(["--shard", "9/8"], {})).toThrow(UsageError);
    expect(() => parseStressArgs(["--shard", "3-8"], {})).toThrow(/written i\/n/);
    expect(() => parseStressArgs(["--seeds", "4", "--shard", "1/8"], {})).toThrow(/more pieces than there are seeds/);
    expect(() => parseStressArgs(["--only", "zab"], {})).toThrow(/unknown protocol "zab"/);
  });
});

describe("failing seeds in a random test's message", () => {
  it("finds each failure's seed, first line and replay command (both helpers' formats)", () => {
    const paxos = [
      "seed 12: at most one value chosen violated at 120 ms (step 40, seed 12)",
      "  node 3 learned b",
      "  replay: SEED=12 npx vitest run packages/check/test/paxos-random.test.ts",
      "seed 40: no progress within the liveness bound after the faults stopped",
      "  replay: SEED=40 npx vitest run packages/check/test/paxos-random.test.ts: expected [ 'seed 12: ...', 'seed 40: ...' ] to deeply equal []",
    ].join("\n");
    expect(failuresFromMessage(paxos)).toEqual([
      { seed: 12, message: "seed 12: at most one value chosen violated at 120 ms (step 40, seed 12)", replay: "SEED=12 npx vitest run packages/check/test/paxos-random.test.ts" },
      { seed: 40, message: "seed 40: no progress within the liveness bound after the faults stopped", replay: "SEED=40 npx vitest run packages/check/test/paxos-random.test.ts" },
    ]);
    const raft = 'no leader 1 s after the faults healed (seed 7)\n  replay: SEED=7 npx vitest run packages/check/test/raft-random.test.ts -t "plain Raft"';
    expect(failuresFromMessage(raft)).toEqual([{ seed: 7, message: "no leader 1 s after the faults healed (seed 7)", replay: 'SEED=7 npx vitest run packages/check/test/raft-random.test.ts -t "plain Raft"' }]);
    expect(failuresFromMessage("Test timed out in 30000ms.")).toEqual([{ message: "Test timed out in 30000ms." }]);
  });
});

describe("merging shards", () => {
  const shard = (index: number, count: number, failed = false): ShardReport => ({
    format: "paxos-raft-course/stress",
    version: 1,
    shard: { index, count },
    range: { first: 1, count: 100 },
    piece: { first: 1 + (index - 1) * (100 / count), count: 100 / count },
    wallMs: 5,
    tests: [
      { file: "raft-random.test.ts", name: "plain Raft", state: failed ? "failed" : "passed", schedules: 100 / count, failures: failed ? [{ seed: 77, message: "seed 77: boom", replay: "SEED=77 npx vitest run x" }] : [] },
      { file: "paxos-random.test.ts", name: "paxos", state: "passed", schedules: 100 / count, failures: [] },
    ],
  });

  it("adds up schedules per protocol and passes when every shard is there and nothing failed", () => {
    const m = mergeShards([shard(2, 4), shard(1, 4), shard(4, 4), shard(3, 4)]);
    expect(m.ok).toBe(true);
    expect(m.schedules).toBe(200);
    expect(m.files.map((f) => [f.file, f.schedules])).toEqual([["paxos-random.test.ts", 100], ["raft-random.test.ts", 100]]);
    expect(formatMerged(m).join("\n")).toContain("Total: 200 fault schedules, 0 failure(s)");
  });

  it("reports failing seeds with their replay commands, and missing or repeated shards", () => {
    const m = mergeShards([shard(1, 4), shard(2, 4, true), shard(2, 4)]);
    expect(m.ok).toBe(false);
    expect(m.missing).toEqual([3, 4]);
    expect(m.problems.join("\n")).toMatch(/shard 2\/4 reported 2 times[\s\S]*missing shard\(s\): 3\/4, 4\/4/);
    expect(m.failures).toEqual([{ seed: 77, message: "seed 77: boom", replay: "SEED=77 npx vitest run x", file: "raft-random.test.ts", test: "plain Raft", shard: 2 }]);
    const md = markdownMerged(m);
    expect(md).toContain("## Stress search: FAILED");
    expect(md).toContain("replay: `SEED=77 npx vitest run x`");
    expect(mergeShards([]).ok).toBe(false);
  });
});

describe("npm run stress, a real shard", () => {
  it("runs only its piece of the range on every chosen protocol and says which", async () => {
    const report = await runShard(parseStressArgs(["--seeds", "30", "--shard", "2/3", "--only", "paxos,raft"], {}));
    expect(report.piece).toEqual({ first: 11, count: 10 });
    expect(report.tests.map((t) => [t.file, t.state, t.schedules])).toEqual(
      expect.arrayContaining([
        ["paxos-random.test.ts", "passed", 10],
        ["raft-random.test.ts", "passed", 10],
      ]),
    );
    expect(report.tests.filter((t) => t.file === "raft-random.test.ts")).toHaveLength(RAFT_STRESS_PROFILES.length);
    expect(report.tests.find((t) => t.file === "paxos-random.test.ts")?.name).toContain("on 10 seed(s)");
    const lines: string[] = [];
    expect(await main(["--seeds", "30", "--shard", "3/3", "--only", "twopc"], {}, (l) => lines.push(l))).toBe(0);
    expect(lines.join("\n")).toContain("Shard 3/3: seeds 21..30 (10) of 1..30");
  }, 120_000);
});
