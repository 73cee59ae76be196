// Lesson 11's scenarios reproduce, take their numbers from the run, and end with the checker's verdict.

import { describe, expect, it } from "vitest";
import type { TraceEvent } from "@course/sim";
import type { RaftNode } from "@course/raft";
import type { Scenario } from "../lesson.js";
import { lesson11 } from "./index.js";

const scenario = (id: string): Scenario => lesson11.scenarios.find((s) => s.id === id) ?? (() => { throw new Error(id); })();
const notes = (trace: readonly TraceEvent[]) => trace.filter((e): e is Extract<TraceEvent, { kind: "note" }> => e.kind === "note");
const requestsSent = (trace: readonly TraceEvent[], client: string) =>
  trace.filter((e): e is Extract<TraceEvent, { kind: "client-request" }> => e.kind === "client-request" && e.request.client === client);

function runTwice(id: string, seed: number, variant?: string) {
  const s = scenario(id);
  const options = variant === undefined ? { seed } : { seed, variant };
  const run = s.run(options);
  expect(JSON.stringify(s.run(options).sim.trace), "same seed, same trace").toBe(JSON.stringify(run.sim.trace));
  const all = notes(run.sim.trace);
  expect(all.at(-1)?.style).toBe("result");
  expect(all.at(-1)?.text).toBe(run.result);
  expect(all.some((n) => n.style === "heading" && n.label !== undefined)).toBe(true);
  // Every scenario narrates its run (the storm's describer keeps to faults, elections and retries, so a calm seed says little).
  expect(run.sim.trace.map((e) => s.describe?.(e)).filter((d) => d !== undefined).length).toBeGreaterThanOrEqual(8);
  return run;
}

describe("lesson 11: clients", () => {
  for (const seed of [1, 7]) {
    it(`redirects, sessions and ReadIndex reads; the history is linearizable (seed ${seed})`, () => {
      const run = runTwice("clients", seed);
      run.sim.assertNoViolation();
      const leader = [0, 1, 2, 3, 4].map((id) => run.sim.node<RaftNode>(id)).find((n) => n?.role === "leader") as RaftNode;
      // Every write became exactly one log entry; no read did.
      const clientEntries = leader.log.all().filter((e) => e.command.kind === "client").length;
      const writes = run.sim.requests.filter((r) => (r.request.op as { type: string }).type !== "get" && (r.result as { ok?: boolean } | undefined)?.ok).length;
      expect(clientEntries).toBe(writes);
      expect(run.result).toContain(`${writes} writes -> ${clientEntries} log entries`);
      expect(leader.kv.get("list")).toBe("a;b;c;");
      expect(run.result).toContain(`list='${leader.kv.get("list")}'`);
      const redirected = run.sim.trace.filter((e) => e.kind === "client-reply" && (e.result as { ok: boolean; error?: string }).error === "not-leader").length;
      expect(run.result).toContain(`${redirected} redirect(s)`);
      expect(run.result).toMatch(/history linearizable \(9 operations on 2 keys\)/);
    });
  }
});

describe("lesson 11: a lost reply", () => {
  for (const seed of [1, 7]) {
    it(`applies the retried append once: the session table answers the duplicate (seed ${seed})`, () => {
      const run = runTwice("lost-reply", seed);
      run.sim.assertNoViolation();
      const leader = [0, 1, 2, 3, 4].map((id) => run.sim.node<RaftNode>(id)).find((n) => n?.role === "leader") as RaftNode;
      const pears = leader.log.all().filter((e) => e.command.kind === "client" && e.command.op.value === "pear;");
      expect(pears.length).toBe(2);
      expect(pears.every((e) => e.command.kind === "client" && e.command.seq === 2)).toBe(true);
      expect(leader.kv.get("cart")).toBe("apple;pear;");
      expect(leader.kv.toJSON().sessions.c1?.seq).toBe(2);
      // The first attempt went to the leader that crashed and was never answered.
      const first = requestsSent(run.sim.trace, "c1").find((e) => (e.request.op as { value: string }).value === "pear;");
      expect(run.sim.trace.some((e) => e.kind === "client-reply" && e.requestId === first?.request.id)).toBe(false);
      expect(notes(run.sim.trace).some((n) => n.label === "duplicate-detected")).toBe(true);
      expect(run.result).toContain(`is in the log ${pears.length} times, applied once`);
      expect(run.result).toMatch(/history linearizable/);
    });
  }
  it("without sessions the retry is applied twice and the checker says so", () => {
    const run = runTwice("lost-reply", 1, "no-sessions");
    run.sim.assertNoViolation(); // Raft itself is fine: it faithfully replicated two commands
    const leader = [0, 1, 2, 3, 4].map((id) => run.sim.node<RaftNode>(id)).find((n) => n?.role === "leader") as RaftNode;
    expect(leader.kv.get("cart")).toBe("apple;pear;pear;");
    expect(run.result).toContain("applied 2 times");
    expect(run.result).toMatch(/NOT linearizable/);
    expect(run.result).toMatch(/get\(cart\) -> "apple;pear;pear;" .* cannot come next/);
  });
});

describe("lesson 11: reads at a deposed leader", () => {
  for (const seed of [1, 7]) {
    it(`ReadIndex keeps the cut-off leader from answering; c1 reads x=2 (seed ${seed})`, () => {
      const run = runTwice("stale-read", seed);
      run.sim.assertNoViolation();
      const atOld = run.sim.trace.filter((e) => e.kind === "client-reply" && e.node === 0 && e.client === "c1");
      expect(atOld.every((e) => e.kind === "client-reply" && (e.result as { ok: boolean }).ok === false)).toBe(true);
      expect(run.result).toContain("never answered");
      expect(run.result).toContain("c1 read '2'");
      expect(run.result).toMatch(/history linearizable/);
    });
  }
  it("with local reads the deposed leader answers x=1 and the checker rejects the history", () => {
    const run = runTwice("stale-read", 1, "local-reads");
    const stale = run.sim.trace.find((e) => e.kind === "client-reply" && e.node === 0 && e.client === "c1");
    expect(stale?.kind === "client-reply" && (stale.result as { value?: string }).value).toBe("1");
    expect(run.result).toContain("answered '1' at once (stale)");
    expect(run.result).toMatch(/NOT linearizable/);
    // The verdict names the stale read as the operation that cannot come next.
    expect(run.result).toMatch(/get\(x\) -> "1" \[id \d+, client \d+, [\d.]+\.\.[\d.]+\] cannot come next/);
  });
});

describe("lesson 11: a storm of faults", () => {
  for (const seed of [1, 7]) {
    it(`keeps Raft's invariants, absorbs duplicates and ends linearizable (seed ${seed})`, () => {
      const run = runTwice("storm", seed);
      run.sim.assertNoViolation();
      expect(run.sim.trace.filter((e) => e.kind === "crash" || e.kind === "partition" || e.kind === "pause").length).toBeGreaterThan(2);
      const leader = [0, 1, 2, 3, 4].map((id) => run.sim.node<RaftNode>(id)).find((n) => n?.role === "leader") as RaftNode;
      const tokens = (key: string) => (leader.kv.get(key) ?? "").split(";").length - 1;
      expect(run.result).toContain(`x holds ${tokens("x")} appends and y ${tokens("y")}`);
      // Every token is applied at most once, although some commands are in the log twice.
      const x = (leader.kv.get("x") ?? "").split(";").filter((t) => t !== "");
      expect(new Set(x).size).toBe(x.length);
      const keys = leader.log.all().flatMap((e) => (e.command.kind === "client" ? [`${e.command.client}#${e.command.seq}`] : []));
      expect(run.result).toContain(`${keys.length - new Set(keys).size} duplicate command(s)`);
      expect(run.result).toMatch(/history linearizable \(\d+ operations on 2 keys\)/);
    });
  }
});
