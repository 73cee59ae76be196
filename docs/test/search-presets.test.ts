// The searches the site offers, run in Node exactly as its worker runs them: lesson 8's text about them is true of the run.

import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { RaftMessage } from "@course/raft";
import type { TraceEvent } from "@course/sim";
import { LESSON8_PRESETS, SANDBOX_PRESETS, boundText } from "../src/components/search-presets.js";
import { runSearch } from "../src/components/run-search.js";
import { explore, resolveRun } from "@course/explore";
import { lengthText } from "../src/components/explore-search.js";

const LESSON8 = readFileSync(new URL("../src/lessons/8.md", import.meta.url), "utf8").replace(/\s+/g, " ");
const delivered = (events: readonly TraceEvent[], from: number, to: number, type: string) =>
  events.flatMap((e) => (e.kind === "deliver" && e.from === from && e.to === to && e.msg.type === type ? [{ step: e.step, msg: e.msg as RaftMessage }] : []));

describe("lesson 8's search", () => {
  it("the naive rule: Leader Completeness breaks in the run lesson 8 describes, found at the depth and state count it quotes", () => {
    const [naive] = LESSON8_PRESETS;
    const { result, startSteps } = runSearch(naive!.request);
    const v = result.violation;
    expect(v?.invariant).toBe("Leader Completeness");
    expect(v?.message).toMatch(/^node 1 leads term 4 without entry 1 \(term 1\), committed in term 3/);
    expect(result.depthReached).toBe(9);
    expect(result.distinctStates).toBe(5704);
    expect(LESSON8).toContain("the search stops after 5,704 distinct states, on a run of 9 steps from that start");
    // Where it starts: S0 leads term 3 with entries of terms 1 and 3, S1 still leads term 2 with one entry of term 2, S2 has none.
    const at = (id: number) => [...v!.trace.events].reverse().find((e) => e.kind === "state" && e.node === id && e.step <= startSteps) as { view: { role: string; term: number; log: { term: number }[] } } | undefined;
    expect(at(0)?.view).toMatchObject({ role: "leader", term: 3, log: [{ term: 1 }, { term: 3 }] });
    expect(at(1)?.view).toMatchObject({ role: "leader", term: 2, log: [{ term: 2 }] });
    expect(at(2)?.view.log ?? []).toEqual([]);
    const events = v!.trace.events.filter((e) => e.step > startSteps);
    // S0's AppendEntries of term 3 reaches S1 first (S1 steps down).
    expect(delivered(events, 0, 1, "AppendEntries")[0]?.msg.term).toBe(3);
    // S0 sends S2 its entry 1 of term 1 by itself, and S2 stores it (its reply says so)...
    const copy = delivered(events, 0, 2, "AppendEntries").find((d) => d.msg.type === "AppendEntries" && d.msg.entries.length === 1 && d.msg.entries[0]?.index === 1 && d.msg.entries[0]?.term === 1);
    expect(copy).toBeDefined();
    const stored = delivered(events, 2, 0, "AppendEntriesReply").find((d) => d.step > copy!.step && d.msg.type === "AppendEntriesReply" && d.msg.success && d.msg.matchIndex === 1);
    expect(stored).toBeDefined();
    // ...then S1's vote request for term 4, with a last entry of term 2, reaches S2 and S2 grants it.
    const ask = delivered(events, 1, 2, "RequestVote").find((d) => d.step > stored!.step);
    expect(ask?.msg).toMatchObject({ term: 4, lastLogTerm: 2 });
    const grant = delivered(events, 2, 1, "RequestVoteReply").find((d) => d.step > ask!.step);
    expect(grant?.msg).toMatchObject({ term: 4, voteGranted: true });
    // Leaders append a no-op when elected (S0's of term 3 is in flight), and every AppendEntries carries one entry at most.
    const appends = v!.trace.events.flatMap((e) => (e.kind === "send" && e.msg.type === "AppendEntries" ? [e.msg as RaftMessage & { type: "AppendEntries" }] : []));
    expect(appends.some((m) => m.entries.some((x) => x.term === 3 && x.command.kind === "noop"))).toBe(true);
    expect(Math.max(...appends.map((m) => m.entries.length))).toBe(1);
    // The page's count of the run's length adds up.
    expect(lengthText(result.depthReached, v!.depth, startSteps)).toMatch(/^The shortest counterexample takes 9 steps after the scripted start; the trace has \d+ steps/);
  });

  it("the terminal command lesson 8 gives runs the same search", () => {
    expect(LESSON8).toContain("npm run explore -- raft --variant naive-commit --lifetime 2");
    // What that command asks the explorer for: the variant, with its own start, at its own bounds but a lifetime of 2.
    const r = explore({ protocol: "raft", variant: "naive-commit", lifetime: 2 });
    expect(r.bounds).toEqual(LESSON8_PRESETS[0]!.request.bounds);
    expect([r.violation?.invariant, r.depthReached, r.distinctStates]).toEqual(["Leader Completeness", 9, 5704]);
  });

  it("Raft's rule: the same bound is exhausted with no violation, in the number of states lesson 8 quotes", () => {
    const [, correct] = LESSON8_PRESETS;
    const { result } = runSearch(correct!.request);
    expect(result.violation).toBeUndefined();
    expect(result.exhausted).toBe(true);
    expect(result.distinctStates).toBe(22257);
    expect(LESSON8).toContain("the same search visits all 22,257 distinct states within its bound and finds no violation");
  });
});

describe("the bounds the pages state", () => {
  it("are the explorer's own (its defaults, the naive-commit variant's), apart from the cap on states and Figure 8's message lifetime", () => {
    const without = (b: object, ...keys: string[]) => Object.fromEntries(Object.entries(b).filter(([k]) => !keys.includes(k)));
    for (const presets of [LESSON8_PRESETS, ...Object.values(SANDBOX_PRESETS)]) {
      for (const p of presets) {
        const own = resolveRun({ protocol: p.request.protocol, ...(p.request.variant ? { variant: p.request.variant } : {}) }).bounds;
        const figure8 = p.request.variant === "naive-commit" || p.request.startOf === "naive-commit";
        const reference = figure8 ? resolveRun({ protocol: "raft", variant: "naive-commit" }).bounds : own;
        expect(without(p.request.bounds, "maxStates", ...(figure8 ? ["lifetime"] : [])), p.label).toEqual(without(reference, "maxStates", ...(figure8 ? ["lifetime"] : [])));
      }
    }
  });
});

describe("the sandbox's searches", () => {
  it("every broken rule offered names a variant, and every bound reads as a sentence", () => {
    for (const presets of Object.values(SANDBOX_PRESETS)) {
      expect(presets[0]?.request.variant).toBeUndefined();
      for (const p of presets.slice(1)) expect(p.label.startsWith(`${p.request.variant}:`)).toBe(true);
      for (const p of presets) expect(boundText(p.request)).toMatch(/^3 servers, paths of at most \d+ steps, at most [\d,]+ distinct states, /);
    }
  });
});

describe("every broken rule the sandbox offers is found within its bound", () => {
  for (const [protocol, presets] of Object.entries(SANDBOX_PRESETS)) {
    for (const p of presets.slice(1)) {
      it(`${protocol} ${p.request.variant}`, () => {
        const { result } = runSearch(p.request);
        expect(result.violation, `${protocol} ${p.request.variant}: ${result.distinctStates} states`).toBeDefined();
      });
    }
  }
});

describe("the length of a counterexample in words", () => {
  it("counts the scripted start and the lost messages only when there are some", () => {
    expect(lengthText(6, 6, 0)).toBe("The shortest counterexample takes 6 steps.");
    expect(lengthText(10, 31, 15)).toBe("The shortest counterexample takes 10 steps after the scripted start; the trace has 31 steps, counting the 15 steps of the scripted start and 6 losses of messages that waited past the bound.");
    expect(lengthText(8, 10, 0)).toBe("The shortest counterexample takes 8 steps; the trace has 10 steps, counting 2 losses of messages that waited past the bound.");
  });
});
