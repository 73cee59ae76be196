// The Raft paper's Figure 8, scripted on five servers (1-5) with the paper's terms, and both of its futures after (c).

import { Simulation, type Hook } from "@course/sim";
import { createRaftNode } from "../node.js";
import type { RaftRules } from "../rules/index.js";
import { scriptedTimeouts } from "../script.js";
import type { RaftMessage } from "../types.js";

/**
 * The two alternative futures the paper draws after (c): in (d) S1 crashes and S5 wins and overwrites entry 2; in (e)
 * S1 first commits an entry of its own term, and S5 cannot win.
 */
export type Figure8Future = "d" | "e";
/** "prelude" (term 1), the figure's panels, then "after": how the chosen future ends. */
export type Figure8Phase = "prelude" | "a" | "b" | "c" | "d" | "e" | "after";
/**
 * Called as each phase begins and once the run is in the state the paper draws for it ("end"), so a lesson can
 * narrate; `sim` is mid-run (and may have been stopped by a checker).
 */
export type PhaseHook = (phase: Figure8Phase, moment: "begin" | "end", sim: Simulation<RaftMessage>) => void;

export interface Figure8Options {
  readonly seed?: number;
  readonly rules?: Partial<RaftRules>;
  readonly hooks?: readonly Hook<RaftMessage>[];
  readonly record?: boolean;
  /** Which future follows (c) (default "d", the one the commit rule is there for). */
  readonly future?: Figure8Future;
  readonly onPhase?: PhaseHook;
}

export const FIGURE8_SERVERS = [1, 2, 3, 4, 5] as const;

/** When (c) ends and the futures part: S1 crashes and S5 restarts. */
const FORK = 1130;

/**
 * Prelude: S1 leads term 1 and commits entry 1 on every server, then reboots and wins term 2, so the terms below are
 * the paper's. (a) S1 leads term 2; entry 2 reaches only S2. (b) S1 crashes; S5 wins term 3 with S3 and S4 and takes
 * its own entry 2, which nobody else stores. (c) S5 crashes, S1 returns and wins term 4 with S2 and S3 (the link from
 * S1 to S4 is down) and copies entry 2 of term 2 to S3: it is on a majority, but not committed.
 * Future (d): S1 crashes; S5 returns, wins term 5 with S2, S3 and S4 and overwrites entry 2 everywhere; then it
 * commits an entry of term 5 and S1 comes back and is repaired. Future (e): S1 first replicates an entry of term 4 on
 * a majority (committed, entry 2 with it) and then crashes; S5 returns but cannot win; S2 wins and repairs S5.
 * Every server runs without the §8 election no-op, as the figure is drawn: with it, each leader's first entry would
 * be of its own term. Timeouts are scripted as a pure function of time, so the same servers win every time and
 * replays stay identical.
 */
export function runFigure8(options: Figure8Options = {}): Simulation<RaftMessage> {
  const rules = options.rules ?? {};
  const sim = new Simulation<RaftMessage>({
    seed: options.seed ?? 8,
    nodes: [...FIGURE8_SERVERS],
    network: { latency: { kind: "fixed", ms: 5 } },
    createNode: createRaftNode({
      rules,
      noopOnElection: false,
      firstTimeouts: { 1: 10 },
      // Followers ignore vote requests for the minimum election timeout (150 ms) after hearing from a leader (thesis
      // §4.2.3), so every candidate below times out at least that long after the last leader it replaces fell silent.
      electionTimeoutOverride: scriptedTimeouts([
        { from: 0, to: 300, node: 1, ms: 200 },
        { from: 0, to: 300, node: "others", ms: 5000 },
        { from: 300, to: 450, node: 5, ms: 400 },
        { from: 300, to: 450, node: "others", ms: 5000 },
        { from: 450, to: 1060, node: 1, ms: 100 },
        { from: 450, to: 1060, node: "others", ms: 5000 },
        // From the last heartbeats of (c) on: S5 campaigns as soon as it is back; S2 only if nobody has won by then.
        { from: 1060, to: Infinity, node: 5, ms: 160 },
        { from: 1060, to: Infinity, node: 2, ms: 400 },
        { from: 1060, to: Infinity, node: "others", ms: 5000 },
      ]),
    }),
    record: options.record ?? true,
    hooks: options.hooks ?? [],
  });
  const onPhase = options.onPhase ?? (() => undefined);
  // A jump to a step shows every action taken at that step, so the state a phase ends in gets a step of its own:
  // the next event runs before the script acts again.
  const phase = (p: Figure8Phase, moment: "begin" | "end", s: Simulation<RaftMessage>) => {
    onPhase(p, moment, s);
    if (moment === "end" && !s.stopped) s.step();
  };
  const cut = (from: number, to: readonly number[]) => {
    for (const t of to) sim.apply({ type: "cut", from, to: t });
  };

  phase("prelude", "begin", sim);
  sim.runUntilTime(50);
  sim.request(1, "x=1");
  sim.runUntilTime(100);
  sim.apply({ type: "crash", node: 1 });
  sim.runUntilTime(110);
  sim.apply({ type: "restart", node: 1 });
  sim.runUntilTime(330);
  phase("prelude", "end", sim);

  phase("a", "begin", sim);
  sim.runUntilTime(350);
  cut(1, [3, 4, 5]);
  sim.request(1, "x=2");
  sim.runUntilTime(440);
  phase("a", "end", sim);
  sim.apply({ type: "crash", node: 1 });

  phase("b", "begin", sim);
  sim.runUntilTime(760);
  cut(5, [2, 3, 4]);
  sim.request(5, "x=3");
  sim.runUntilTime(780);
  phase("b", "end", sim);
  sim.apply({ type: "crash", node: 5 });
  sim.apply({ type: "heal" });
  sim.runUntilTime(800);

  phase("c", "begin", sim);
  sim.apply({ type: "restart", node: 1 });
  cut(1, [4]);
  sim.runUntilTime(1050);
  phase("c", "end", sim);

  const future = options.future ?? "d";
  if (future === "e") {
    phase("e", "begin", sim);
    sim.request(1, "x=4");
    sim.runUntilTime(FORK - 5);
    phase("e", "end", sim);
  } else {
    phase("d", "begin", sim);
  }
  sim.runUntilTime(FORK);
  // A checker that stopped the run (a planted bug) ends the story where it stopped.
  if (sim.stopped) return sim;
  sim.apply({ type: "crash", node: 1 });
  sim.apply({ type: "heal" });
  sim.apply({ type: "restart", node: 5 });
  if (future === "d") {
    sim.runUntilTime(1500);
    if (sim.stopped) return sim;
    phase("d", "end", sim);
    phase("after", "begin", sim);
    sim.request(5, "x=5");
  } else {
    phase("after", "begin", sim);
  }
  sim.runUntilTime(1650);
  if (sim.stopped) return sim;
  sim.apply({ type: "restart", node: 1 });
  sim.runUntilTime(1800);
  phase("after", "end", sim);
  return sim;
}
