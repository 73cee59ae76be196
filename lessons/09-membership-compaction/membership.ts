// Lesson 9, scenario 1: growing a three-server cluster to five, one server at a time, then removing the leader.

import { Simulation } from "@course/sim";
import { createRaftNode, finishStory, leaderOf, raftDescriber, raftNodes, waitForLeader, type ClientResult, type RaftMessage, type RaftNode } from "@course/raft";
import { raftInvariants } from "@course/check";
import type { Scenario } from "../lesson.js";

const NODES = [0, 1, 2, 3, 4];

/** Send `op` to whoever leads until it succeeds (a change is refused while another is pending). */
function change(sim: Simulation<RaftMessage>, op: unknown): ClientResult | undefined {
  for (let attempt = 0; attempt < 20; attempt++) {
    const leader = leaderOf(sim);
    if (leader !== undefined) {
      const id = sim.request(leader.id, op, "admin");
      sim.runUntil(() => sim.requests.find((r) => r.request.id === id)?.result !== undefined, { timeout: 500 });
      const res = sim.requests.find((r) => r.request.id === id)?.result as ClientResult | undefined;
      if (res?.ok) return res;
    }
    sim.runFor(50);
  }
  return undefined;
}

export const membership: Scenario = {
  id: "membership",
  title: "Adding and removing servers safely",
  summary: "A cluster of servers 0, 1 and 2 grows to five by adding 3, then 4. Each new server first copies the log as a non-voting learner; once it is within a round of the leader, a single log entry adds it, taking effect as soon as a server stores it. Then the leader is removed: it commits its own removal, steps down, and the remaining four elect a new leader.",
  protocol: "raft",
  defaultSeed: 4,
  describe: raftDescriber(),
  run({ seed }) {
    const sim = new Simulation<RaftMessage>({
      seed,
      nodes: NODES,
      createNode: createRaftNode({ members: [0, 1, 2], preVote: true, checkQuorum: true }),
      hooks: raftInvariants(),
      record: true,
    });
    sim.heading("Three members; servers 3 and 4 wait outside", "start");
    sim.note("Servers 3 and 4 are running but not in the configuration [0, 1, 2]: they never campaign and nobody counts them.");
    const first = waitForLeader(sim, 2000) as RaftNode;
    sim.request(first.id, "x=1");
    sim.runFor(100);
    sim.heading("Add server 3", "add-3");
    sim.note("Why one server at a time: any majority of [0,1,2] and any majority of [0,1,2,3] share a server, so the old and new configurations can never elect two leaders. Changing two at once would lose that overlap and need joint consensus.");
    sim.note("Why a learner first (thesis §4.2.1): an empty server counted in the majority at once could leave the cluster unable to commit until it has copied the whole log (if another server failed meanwhile, say). It gets a vote only once a round of copying takes less than an election timeout.");
    change(sim, { type: "add-server", node: 3 });
    sim.runFor(200);
    sim.heading("Add server 4", "add-4");
    sim.note("The leader accepts the next change only once the previous one is committed; now a majority of five is three.");
    change(sim, { type: "add-server", node: 4 });
    sim.runFor(200);
    const old = leaderOf(sim) as RaftNode;
    sim.heading(`Remove the leader, server ${old.id}`, "remove-leader");
    sim.note(`Server ${old.id} appends the configuration without itself and keeps leading until that entry is committed by a majority of the new configuration; then it steps down and stops sending heartbeats.`);
    change(sim, { type: "remove-server", node: old.id });
    sim.runUntil(() => leaderOf(sim) !== undefined && leaderOf(sim)?.id !== old.id, { timeout: 2000 });
    const now = leaderOf(sim) as RaftNode;
    sim.request(now.id, "y=2");
    sim.runFor(300);
    const members = now.members;
    const agree = raftNodes(sim).filter((n) => members.includes(n.id)).every((n) => n.members.join() === members.join() && n.kv.get("y") === "2");
    return finishStory(
      sim,
      `configuration [0, 1, 2] became [${members.join(", ")}]; server ${old.id} removed itself and stepped down (now ${sim.node<RaftNode>(old.id)?.role}); server ${now.id} leads term ${now.currentTerm}; members agree and applied y=2: ${agree ? "yes" : "no"}.`,
    );
  },
};
