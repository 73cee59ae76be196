// Scripted Raft schedules that aim at one bug each: a rebooted voter asked twice, a slow link overtaken by a later message.

import { raftInvariants } from "@course/check";
import { createRaftNode, leaderOf, scriptedTimeouts, type RaftMessage, type RaftNode, type RaftRules } from "@course/raft";
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
      // Without the election no-op (§8) every log stays empty, so only votedFor on disk can refuse server 3.
      noopOnElection: false,
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

/**
 * PreVote with CheckQuorum (thesis §9.6): a stable five-server cluster elects a leader; one follower is cut off,
 * then reconnected to everyone but the leader (a one-way link failure), so it keeps timing out while the others
 * still hear from the leader. Its pre-votes must be refused: no server's term may move and the leader keeps
 * leading, also once every link works again.
 */
export function runRejoiningServer(run: SeedRun, rules: Partial<RaftRules>): string | undefined {
  const sim = run.simulate<RaftMessage>({
    nodes: [0, 1, 2, 3, 4],
    network: { latency: { kind: "uniform", min: 1, max: 8 } },
    createNode: createRaftNode({ rules, preVote: true, checkQuorum: true }),
    hooks: raftInvariants(),
  });
  run.drive(sim, 1000, 200_000);
  if (sim.stopped) return undefined;
  const leader = leaderOf(sim);
  if (leader === undefined) return "no leader was elected in the first second of a healthy cluster";
  const term = leader.currentTerm;
  const loner = (leader.id + 1 + (run.seed % 4)) % 5;
  const terms = () => sim.nodeIds.map((id) => `${id}: term ${sim.node<RaftNode>(id)?.currentTerm}`).join(", ");
  sim.apply({ type: "isolate", node: loner });
  run.drive(sim, 1000, 200_000);
  sim.apply({ type: "heal" });
  sim.apply({ type: "cut", from: leader.id, to: loner });
  run.drive(sim, 1000, 200_000);
  if (sim.stopped) return undefined;
  const moved = sim.nodeIds.filter((id) => sim.node<RaftNode>(id)?.currentTerm !== term);
  if (moved.length > 0) {
    return `disruption: server ${loner} could not hear leader ${leader.id} (term ${term}) but the other servers could; its pre-votes should have been refused, yet the term of server(s) ${moved.join(", ")} moved (${terms()}). PreVote exists so a server that cannot hear the leader does not force elections while the leader is alive.`;
  }
  sim.apply({ type: "heal" });
  run.drive(sim, 500, 100_000);
  if (sim.stopped) return undefined;
  const now = leaderOf(sim);
  if (now?.id !== leader.id || now.currentTerm !== term) {
    return `disruption: after every link was healed, leader ${leader.id} of term ${term} should still lead, but ${now === undefined ? "there is no leader" : `server ${now.id} leads term ${now.currentTerm}`} (${terms()}).`;
  }
  return undefined;
}
