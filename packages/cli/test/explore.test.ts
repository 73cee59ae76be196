// npm run explore: help, bad options, exit codes, JSON output, counterexample files and their replay.

import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { parseTrace } from "@course/sim";
import { main } from "../src/explore.js";

const dir = mkdtempSync(join(tmpdir(), "explore-cli-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
/** As npm runs it: from the repository root, with the folder the command was typed in as INIT_CWD. */
const env = { npm_lifecycle_event: "explore", INIT_CWD: dir };

async function run(...argv: string[]): Promise<{ code: number; out: string }> {
  const lines: string[] = [];
  const errors: string[] = [];
  const original = console.error;
  console.error = (...args: unknown[]) => void errors.push(args.join(" "));
  try {
    const code = await main(argv, env, (line) => lines.push(line));
    return { code, out: [...lines, ...errors].join("\n") };
  } finally {
    console.error = original;
  }
}

describe("npm run explore", () => {
  it("prints help with every option and exits 0", async () => {
    const { code, out } = await run("--help");
    expect(code).toBe(0);
    for (const option of ["--variant", "--depth", "--max-states", "--timers", "--bfs", "--dfs", "--json", "--liveness", "--replay", "--from", "--shard"]) expect(out).toContain(option);
  });

  it("exits 2 with a clear message for bad input", async () => {
    const cases: Array<[string[], RegExp]> = [
      [[], /name a protocol/],
      [["zab"], /zab/],
      [["raft", "--depth", "-3"], /depth/],
      [["raft", "--timers", "many"], /timers/],
      [["raft", "--variant", "no-such-bug"], /no variant "no-such-bug"/],
      [["raft", "--bfs", "--dfs"], /bfs|dfs/],
      [["raft", "--from", "x.json", "--from-start"], /contradict/],
      [["--replay", join(dir, "missing.json")], /cannot read/],
      [["raft", "--shard", "4/3"], /shard 4\/3 does not exist/],
      [["raft", "--shard", "half"], /a shard is written i\/n/],
      [["raft", "--shard", "1/2", "--dfs"], /breadth-first/],
    ];
    for (const [argv, message] of cases) {
      const { code, out } = await run(...argv);
      expect(code, argv.join(" ")).toBe(2);
      expect(out, argv.join(" ")).toMatch(message);
    }
  });

  it("exits 0 and reports an exhausted bound as JSON for the reference", async () => {
    const { code, out } = await run("raft", "--timers", "1", "--requests", "0", "--json");
    expect(code).toBe(0);
    const result = JSON.parse(out) as { exhausted: boolean; distinctStates: number; violation?: unknown; distinctStatesPerSecond: number };
    expect(result.exhausted).toBe(true);
    expect(result.violation).toBeUndefined();
    expect(result.distinctStates).toBeGreaterThan(1);
    expect(typeof result.distinctStatesPerSecond).toBe("number");
  });

  it("--shard explores one piece and says which", async () => {
    const { code, out } = await run("raft", "--timers", "1", "--requests", "1", "--shard", "2/3");
    expect(code).toBe(0);
    expect(out).toMatch(/shard 2\/3: the pieces share the levels above depth \d+; this one explored below one in 3 of the states at that depth \(numbers 2, 5, 8, \.\.\.\)/);
    const json = JSON.parse((await run("raft", "--timers", "1", "--requests", "1", "--shard", "2/3", "--json")).out) as { shard: { index: number; count: number; splitDepth: number }; exhausted: boolean };
    expect(json.shard).toMatchObject({ index: 2, count: 3 });
    expect(json.exhausted).toBe(true);
  });

  it("exits 1 on a violation, writes a trace file the viewer parses, and --replay narrates it", async () => {
    const { code, out } = await run("raft", "--variant", "vote-for-everyone", "--trace", "found.json");
    expect(code).toBe(1);
    expect(out).toMatch(/VIOLATION Election Safety/);
    const file = parseTrace(readFileSync(join(dir, "found.json"), "utf8"));
    expect(file.protocol).toBe("raft");
    expect(file.events.length).toBeGreaterThan(0);
    const replayed = await run("--replay", "found.json");
    expect(replayed.code).toBe(1);
    expect(replayed.out).toMatch(/VIOLATION Election Safety/);
    expect(replayed.out).toMatch(/arrives at/);
  });

  it("finds a grading mutant by its full name and reports it in JSON", async () => {
    const { code, out } = await run("raft", "--variant", "5/request-vote/vote-for-everyone", "--json", "--trace", "mutant.json");
    expect(code).toBe(1);
    const result = JSON.parse(out) as { violation: { invariant: string; trace: string } };
    expect(result.violation.invariant).toBe("Election Safety");
    expect(parseTrace(readFileSync(result.violation.trace, "utf8")).events.length).toBeGreaterThan(0);
  });

  it("searches a grading mutant from its exercise's scripted start first, says which search found it, and the trace replays from the initial state", async () => {
    // Exercise 11's mistake needs a client's retry, which no search from the initial state at the default bound sends.
    const { code, out } = await run("raft", "--variant", "11/sessions/no-duplicate-detection", "--json", "--trace", "sessions.json");
    expect(code).toBe(1);
    const result = JSON.parse(out) as { violation: { invariant: string; depth: number }; searches: Array<{ source: string; label: string; startSteps: number; found?: string }> };
    expect(result.violation.invariant).toBe("Applied Once");
    expect(result.searches).toHaveLength(1);
    const [search] = result.searches;
    expect(search).toMatchObject({ source: "graded", label: "exercise 11/sessions's exhaustive test, commands 1 and 2, each retried at once", found: "Applied Once" });
    expect(search?.startSteps).toBeGreaterThan(0);
    expect(result.violation.depth).toBeGreaterThan(search?.startSteps ?? 0);
    // The scripted start is the beginning of the trace's path: the replay plays it, from the initial state.
    const file = parseTrace(readFileSync(join(dir, "sessions.json"), "utf8"));
    expect((file.options?.explore as { path: unknown[] }).path).toHaveLength(result.violation.depth);
    const replayed = await run("--replay", "sessions.json");
    expect(replayed.code).toBe(1);
    expect(replayed.out).toMatch(/VIOLATION Applied Once/);
    expect(replayed.out).toMatch(/a client sends/);
    const text = await run("raft", "--variant", "11/sessions/no-duplicate-detection", "--trace", "sessions-text.json");
    // Exercise 11's three graded searches, then the default bound.
    expect(text.out).toMatch(/search 1 of 4: exercise 11\/sessions's exhaustive test, commands 1 and 2, each retried at once: \d+ scripted steps/);
    expect(text.out).toMatch(/found by search 1 of 4 \(exercise 11\/sessions's exhaustive test, commands 1 and 2, each retried at once\)/);
  });

  it("with a bound flag searches a grading mutant from the initial state, as today", async () => {
    const { code, out } = await run("raft", "--variant", "11/sessions/no-duplicate-detection", "--timers", "1", "--json");
    expect(code).toBe(0);
    const result = JSON.parse(out) as { exhausted: boolean; bounds: { timers: number }; searches: Array<{ source: string; label: string; startSteps: number }> };
    expect(result.exhausted).toBe(true);
    expect(result.bounds.timers).toBe(1);
    expect(result.searches).toEqual([expect.objectContaining({ source: "bound", label: "the bounds given, from the initial state", startSteps: 0 })]);
  });

  it("--liveness reports a state no fault-free continuation recovers from, and passes the reference at the same bound", async () => {
    const bound = ["--liveness", "--timers", "1", "--drops", "1"];
    const stuck = await run("raft", "--variant", "7/leader-progress/never-back-up", ...bound, "--trace", "stuck.json");
    expect(stuck.code).toBe(1);
    expect(stuck.out).toMatch(/STUCK: no fault-free continuation reached agreement/);
    expect(parseTrace(readFileSync(join(dir, "stuck.json"), "utf8")).events.length).toBeGreaterThan(0);
    const reference = await run("raft", ...bound);
    expect(reference.code).toBe(0);
    expect(reference.out).toMatch(/bound exhausted/);
  });
});
