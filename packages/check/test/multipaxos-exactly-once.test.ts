// Commands run twice without client sessions under the stress's own settings, never with them; a stuck run is reported.

import { describe, expect, it } from "vitest";
import { multiPaxosMutants } from "@course/paxos";
import { MULTI_PAXOS_EXACTLY_ONCE, formatMultiPaxosSummary, runMultiPaxosRandom, summarizeMultiPaxosRuns } from "../src/index.js";
import { failuresOver, seedsToRun } from "./seeds.js";

/** The seeds CI's randomized test runs by default (SEED=n replays one), with its default settings. */
const CI_SEEDS = seedsToRun(500);
const FILE = "multipaxos-exactly-once.test.ts";
const noSessions = { rules: multiPaxosMutants.executeEveryCopy.rules };

describe("Multi-Paxos exactly-once under the randomized stress", () => {
  it("without client sessions, replicas execute commands twice on CI's seeds, and the checker stops those runs with a replay line", () => {
    const counted = CI_SEEDS.map((seed) => runMultiPaxosRandom(seed, { node: noSessions, countDuplicateExecutions: true }));
    const summary = summarizeMultiPaxosRuns(counted);
    console.log(`Multi-Paxos without sessions: ${formatMultiPaxosSummary(summary)}`);
    expect(summary.appliedTwice).toBeGreaterThan(0);
    const flagged = counted.filter((r) => r.appliedTwice > 0).map((r) => r.seed);
    const failures = failuresOver(flagged.slice(0, 3), FILE, (seed) => runMultiPaxosRandom(seed, { node: noSessions }));
    expect(failures).toHaveLength(Math.min(3, flagged.length));
    for (const f of failures) {
      expect(f).toContain(MULTI_PAXOS_EXACTLY_ONCE);
      expect(f).toMatch(/replica \d executed '[^']+' \(\w+'s #\d+\) twice: in slot \d+ and again in slot \d+/);
      expect(f).toMatch(/replay: SEED=\d+ npx vitest run packages\/check\/test\/multipaxos-exactly-once\.test\.ts/);
    }
  }, 60_000);
});

describe("Multi-Paxos liveness in the randomized stress", () => {
  it("reports a run that never recovers as not live, with the commands still waiting and each replica's log", () => {
    const r = runMultiPaxosRandom(1, { node: { rules: { learnSlot: (tally) => ({ tally }) } }, livenessBound: 500 });
    expect(r.violation).toBeUndefined();
    expect(r.live).toBe(false);
    expect(r.recoveryTime).toBeUndefined();
    expect(r.stuck).toMatch(/^unanswered: c1 #1 'cmd1' \(sent \d+ times?\)/);
    expect(r.stuck).toContain("late #1 'final'");
    expect(r.stuck).toContain("applied logs: 0: 0 slots, 1: 0 slots, 2: 0 slots, 3: 0 slots, 4: 0 slots");
    expect(r.answered).toBe(0);
  });

  it("measures recovery from the end of the faults to the moment every command is answered and every log agrees", () => {
    const r = runMultiPaxosRandom(1);
    expect(r.live).toBe(true);
    expect(r.answered).toBe(r.commands);
    expect(r.recoveryTime).toBeGreaterThanOrEqual(0);
    expect(r.recoveryTime).toBeLessThanOrEqual(4000);
  });
});
