// Scripted Raft schedules that aim at one bug each: a rebooted voter asked twice, a slow link overtaken by a later message.

import { raftInvariants } from "@course/check";
import { createRaftNode, scriptedTimeouts, type RaftMessage, type RaftRules } from "@course/raft";
import type { SeedRun } from "../graded.js";

/**
 * Servers 1 and 3 cannot hear each other. Server 1 times out first and wins term 1 with server 2's vote;
 * server 2 then reboots; server 3 times out in term 1 and asks server 2. A server that kept its vote on disk
 * refuses; one that forgot it elects a second leader in term 1 (Election Safety, §5.2).
 */
export function runRebootedVoter(run: SeedRun, rules: Partial<RaftRules>): string | undefined {
  const sim = run.simulate<RaftMessage>({
    nodes: [1, 2, 3],
    network: { latency: { kind: "uniform", min: 4, max: 6 } },
    createNode: createRaftNode({
      rules,
      firstTimeouts: { 1: 10, 3: 40 + (run.seed % 5) },
      electionTimeoutOverride: scriptedTimeouts([{ from: 0, to: 1000, node: "others", ms: 2000 }]),
    }),
    hooks: raftInvariants(),
  });
  sim.apply({ type: "cut", from: 1, to: 3 });
  sim.apply({ type: "cut", from: 3, to: 1 });
  run.drive(sim, 30, 50_000);
  sim.apply({ type: "restart", node: 2 });
  run.drive(sim, 200, 50_000);
  return undefined;
}
