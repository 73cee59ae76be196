// The Raft paper's Figure 8, scripted on five servers (1-5): why a leader must not commit old-term entries by counting.

import { Simulation, type Hook } from "@course/sim";
import { createRaftNode } from "../node.js";
import type { RaftRules } from "../rules/index.js";
import { scriptedTimeouts } from "../script.js";
import type { RaftMessage } from "../types.js";

/** Called at each phase of the figure, (a) to (e), so a lesson can narrate; `sim` is mid-run. */
export type PhaseHook = (phase: "a" | "b" | "c" | "d" | "e", sim: Simulation<RaftMessage>) => void;

export interface Figure8Options {
  readonly seed?: number;
  readonly rules?: Partial<RaftRules>;
  readonly hooks?: readonly Hook<RaftMessage>[];
  readonly record?: boolean;
  readonly onPhase?: PhaseHook;
}

export const FIGURE8_SERVERS = [1, 2, 3, 4, 5] as const;

/**
 * (a) S1 leads term 1 and gets entry 2 only onto S2. (b) S1 crashes; S5 wins term 2 with S3 and S4 and takes a
 * different entry 2 that nobody else stores. (c) S5 crashes, S1 returns, wins term 3 and copies its old entry 2
 * to a majority: the naive rule now calls it committed. (d) S1 crashes, S5 returns and wins term 4 (its last
 * term, 2, beats everyone's 1), overwriting entry 2 everywhere. (e) S5 commits with an entry of its own term.
 * Timeouts are scripted per phase so the same servers win every time.
 */
export function runFigure8(options: Figure8Options = {}): Simulation<RaftMessage> {
  const rules = options.rules ?? {};
  const sim = new Simulation<RaftMessage>({
    seed: options.seed ?? 8,
    nodes: [...FIGURE8_SERVERS],
    network: { latency: { kind: "fixed", ms: 5 } },
    createNode: createRaftNode({
      rules,
      // The figure is drawn without the §8 election no-op: with it, every leader's first entry is of its own term.
      noopOnElection: false,
      firstTimeouts: { 1: 10 },
      electionTimeoutOverride: scriptedTimeouts([
        { from: 0, to: 350, node: 5, ms: 500 },
        { from: 0, to: 350, node: "others", ms: 5000 },
        { from: 350, to: 1000, node: 1, ms: 100 },
        { from: 350, to: 1000, node: "others", ms: 5000 },
        // Followers ignore vote requests for the minimum election timeout after hearing from S1 (thesis §4.2.3),
        // so S5's term-4 request goes out 200 ms after S1's crash (its term-3 one at 100 ms meets S1's voters).
        { from: 1000, to: Infinity, node: 5, ms: 100 },
        { from: 1000, to: Infinity, node: "others", ms: 5000 },
      ]),
    }),
    record: options.record ?? true,
    hooks: options.hooks ?? [],
  });
  const phase = options.onPhase ?? (() => undefined);
  phase("a", sim);
  sim.runUntilTime(50);
  sim.request(1, "x=1");
  sim.runUntilTime(200);
  for (const to of [3, 4, 5]) sim.apply({ type: "cut", from: 1, to });
  sim.request(1, "x=2");
  sim.runUntilTime(300);
  sim.apply({ type: "crash", node: 1 });
  phase("b", sim);
  sim.runUntilTime(700);
  for (const to of [2, 3, 4]) sim.apply({ type: "cut", from: 5, to });
  sim.request(5, "x=3");
  sim.runUntilTime(720);
  sim.apply({ type: "crash", node: 5 });
  sim.apply({ type: "heal" });
  sim.runUntilTime(750);
  phase("c", sim);
  sim.apply({ type: "restart", node: 1 });
  sim.runUntilTime(1100);
  sim.apply({ type: "crash", node: 1 });
  phase("d", sim);
  sim.apply({ type: "restart", node: 5 });
  sim.runUntilTime(1400);
  phase("e", sim);
  sim.request(5, "x=4");
  sim.runUntilTime(1600);
  sim.apply({ type: "restart", node: 1 });
  sim.runUntilTime(1800);
  return sim;
}
