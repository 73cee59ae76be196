// Test helpers for the Raft lessons (5-7): a run replays the same, stays safe and ends with its result; servers and clients at a label.

import { expect } from "vitest";
import type { NodeId, Simulation } from "@course/sim";
import type { ClientResult, RaftNode } from "@course/raft";
import type { Scenario, ScenarioRun } from "../lesson.js";

/** Runs the scenario twice: the same trace both times, no invariant broken, narrated, and the result line last. */
export function checkRaftRun(scenario: Scenario, seed: number, variant?: string): ScenarioRun {
  const options = variant === undefined ? { seed } : { seed, variant };
  const run = scenario.run(options);
  expect(JSON.stringify(scenario.run(options).sim.trace), "same seed, same trace").toBe(JSON.stringify(run.sim.trace));
  expect(run.sim.violation, `${scenario.id} seed ${seed}`).toBeUndefined();
  const last = run.sim.trace.at(-1);
  expect(last?.kind === "note" && last.style === "result" && last.text).toBe(run.result);
  expect(run.sim.trace.filter((e) => scenario.describe?.(e) !== undefined).length, "narrated").toBeGreaterThan(3);
  return run;
}

/** A Raft server of the run, or undefined while it is down. */
export function raftServer(sim: Simulation, id: NodeId): RaftNode | undefined {
  return sim.node<RaftNode>(id);
}

/** The answer client request `id` got, if any. */
export function answerOf(sim: Simulation, id: number): { result: ClientResult; invokedAt: number; replyAt: number } | undefined {
  const r = sim.requests.find((q) => q.request.id === id);
  return r?.result === undefined || r.replyAt === undefined ? undefined : { result: r.result as ClientResult, invokedAt: r.invokedAt, replyAt: r.replyAt };
}

/** The ids of the requests one client sent, in the order it sent them. */
export function requestIds(sim: Simulation, client: string): number[] {
  return sim.requests.filter((r) => r.request.client === client).map((r) => r.request.id);
}
