// Lesson 9, scenario 1: growing a three-server cluster to five one server at a time, removing the leader, adding it back.

import { Simulation } from "@course/sim";
import { createRaftNode, finishStory, leaderOf, majority, raftDescriber, raftNodes, waitForLeader, type RaftMessage, type RaftNode } from "@course/raft";
import { raftInvariants } from "@course/check";
import type { Scenario } from "../lesson.js";
import { askLeader, change, configurationText } from "./configuration.js";

const NODES = [0, 1, 2, 3, 4];

export const membership: Scenario = {
  id: "membership",
  title: "Adding and removing servers safely",
  summary:
    "A cluster of servers 0, 1 and 2 grows to five by adding 3, then 4. Each new server first copies the log as a non-voting learner; once it is within a round of the leader, a single log entry adds it, taking effect as soon as a server stores it. Then the leader is removed: it commits its own removal, steps down, and the remaining four elect a new leader, which refuses a change until an entry of its own term is committed, then adds the old leader back.",
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
    sim.note("Servers 3 and 4 are running but not in the configuration [0, 1, 2]: they do not campaign, and nobody counts their votes or their copies.");
    const first = waitForLeader(sim, 2000) as RaftNode;
    sim.request(first.id, "x=1");
    sim.runFor(100);
    const noop = first.log.all().find((e) => e.term === first.currentTerm);
    sim.note(
      `Server ${first.id} leads term ${first.currentTerm}, and its no-op of that term (index ${noop?.index}) is committed (commit index ${first.commitIndex}). A leader starts a configuration change only once an entry of its own term is committed and the previous change is committed too. Configuration: ${configurationText(sim)}.`,
      { label: "ready" },
    );
    // A jump to a label shows every action of its step: the state above gets a step of its own before the next change.
    sim.step();
    for (const added of [3, 4]) {
      sim.heading(`Add server ${added}`);
      if (added === 3) {
        sim.note("Why one server at a time: any majority of [0, 1, 2] and any majority of [0, 1, 2, 3] share a server, so the old and new configurations can never elect two leaders. Changing two at once would lose that overlap and need joint consensus.");
        sim.note("Why a learner first (thesis §4.2.1): an empty server counted in the majority at once could leave the cluster unable to commit until it has copied the whole log (if another server failed meanwhile, say). It gets a vote only once a round of copying takes less than an election timeout.");
      }
      const leader = leaderOf(sim) as RaftNode;
      const id = sim.request(leader.id, { type: "add-server", node: added }, "admin");
      sim.note(`Configuration: ${configurationText(sim)}. Server ${added} holds ${sim.node<RaftNode>(added)?.log.lastIndex ?? 0} entries; as a learner it receives the log but neither votes nor counts toward a commit.`, { label: `learner-${added}` });
      sim.runUntil(() => sim.requests.find((r) => r.request.id === id)?.result !== undefined, { timeout: 1000 });
      sim.runFor(200);
      const now = leaderOf(sim) as RaftNode;
      sim.note(`Server ${added} caught up and the entry adding it is committed. Configuration: ${configurationText(sim)}. A majority of ${now.members.length} is ${majority(now.members.length)}.`, { label: `member-${added}` });
      sim.step();
    }
    const old = leaderOf(sim) as RaftNode;
    sim.heading(`Remove the leader, server ${old.id}`);
    sim.note(`Server ${old.id} appends the configuration without itself and keeps leading until that entry is committed by a majority of the new configuration; then it steps down and stops sending heartbeats.`);
    change(sim, { type: "remove-server", node: old.id });
    sim.runUntil(() => leaderOf(sim) !== undefined && leaderOf(sim)?.id !== old.id, { timeout: 2000 });
    const now = leaderOf(sim) as RaftNode;
    const removed = sim.node<RaftNode>(old.id) as RaftNode;
    sim.note(
      `Server ${old.id} is now a ${removed.role} outside its own configuration [${removed.members.join(", ")}], so it does not campaign. Server ${now.id} won term ${now.currentTerm}. Configuration: ${configurationText(sim)}.`,
      { label: "removed" },
    );

    sim.heading(`Server ${now.id} is asked at once to add server ${old.id} back`);
    const refused = askLeader(sim, { type: "add-server", node: old.id });
    const newNoop = now.log.all().find((e) => e.term === now.currentTerm);
    sim.note(
      `Server ${now.id} answered "${refused === undefined ? "nothing" : refused.ok ? "ok" : refused.error}": its no-op of term ${now.currentTerm} (index ${newNoop?.index}) is not committed yet (commit index ${now.commitIndex}). This is the fix Ongaro posted to raft-dev in 2015 for single-server changes: without it, a new leader could append a configuration entry while a change begun by an earlier leader is still on only some logs, and the two changes could yield majorities that do not overlap. Committing an entry of its own term first settles every earlier change: one in the new leader's log is committed with it, and one that is not can never be committed any more.`,
      { label: "fix" },
    );
    sim.request(now.id, "y=2");
    sim.runFor(100);
    change(sim, { type: "add-server", node: old.id });
    sim.runFor(200);
    sim.note(`Once its no-op was committed, server ${now.id} took the change: server ${old.id} caught up as a learner and is a member again. Configuration: ${configurationText(sim)}.`, { label: "back" });
    const members = now.members;
    const agree = raftNodes(sim).filter((n) => members.includes(n.id)).every((n) => n.members.join() === members.join() && n.kv.get("y") === "2");
    return finishStory(
      sim,
      `configuration [0, 1, 2] became [${members.join(", ")}]; server ${old.id} removed itself, stepped down and was added back by server ${now.id}, leader of term ${now.currentTerm}, after its first change request was refused (${refused === undefined ? "no answer" : refused.ok ? "accepted" : refused.error}); members agree and applied y=2: ${agree ? "yes" : "no"}.`,
    );
  },
};
