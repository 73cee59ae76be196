// Lesson 5, scenario 1: five followers, random timeouts, one candidate, one leader, then steady heartbeats.

import { Simulation } from "@course/sim";
import { createRaftNode, finishStory, formatCounts, raftDescriber, raftNodes, sendsByType, waitForLeader, type RaftMessage, type RaftNode, type RequestVoteReply } from "@course/raft";
import { raftInvariants } from "@course/check";
import type { Scenario } from "../lesson.js";

const NODES = [0, 1, 2, 3, 4];

export const cleanElection: Scenario = {
  id: "clean-election",
  title: "A clean election",
  summary: "Every node starts as a follower with its own random election timeout. The first timer to fire makes its node a candidate; the others vote for it, and its heartbeats keep everyone else's timers from firing.",
  protocol: "raft",
  defaultSeed: 1,
  describe: raftDescriber(),
  run({ seed }) {
    const sim = new Simulation<RaftMessage>({ seed, nodes: NODES, createNode: createRaftNode(), hooks: raftInvariants(), record: true });
    sim.heading("Everyone starts as a follower", "start");
    const deadlines = raftNodes(sim).map((n) => ({ id: n.id, at: n.electionDeadline ?? Infinity })).sort((a, b) => a.at - b.at);
    const first = deadlines[0] as { id: number; at: number };
    sim.note(
      `No node knows of a leader, so each waits a random time between 150 and 300 ms for a heartbeat. The timers fire at ${deadlines.map((d) => `${d.at.toFixed(0)} ms (node ${d.id})`).join(", ")}. ` +
        `Node ${first.id} will run out of patience first; the gap to the next timer is its head start.`,
    );
    sim.runUntilTime(first.at - 0.001);
    sim.heading("The election", "election");
    const leader = waitForLeader(sim, 2000) as RaftNode;
    const electedAt = sim.now;
    const votes = sim.trace.filter((e) => e.kind === "deliver" && e.to === leader.id && e.msg.type === "RequestVoteReply" && (e.msg as RequestVoteReply).voteGranted && (e.msg as RequestVoteReply).term === leader.currentTerm).length;
    sim.note(
      `Node ${leader.id} counts its own vote plus ${votes} granted votes: ${votes + 1} of ${NODES.length}, and 3 is a majority. ` +
        `A voter grants at most one vote per term and writes that vote to disk before answering, so no other node can also collect a majority in term ${leader.currentTerm}.`,
    );
    sim.heading("Heartbeats hold the leadership", "heartbeats");
    const before = sim.trace.length;
    sim.runFor(500);
    const sent = sendsByType(sim.trace, before);
    sim.note(
      `For 500 ms the leader sends empty AppendEntries every 50 ms (${sent["AppendEntries"] ?? 0} of them). Each one resets a follower's election timer, so no follower becomes a candidate while the leader is alive and reachable.`,
    );
    const terms = [...new Set(raftNodes(sim).map((n) => n.currentTerm))];
    return finishStory(
      sim,
      `node ${leader.id} leads term ${leader.currentTerm}, elected at ${electedAt.toFixed(1)} ms with ${votes + 1}/${NODES.length} votes; terms now ${terms.join(",")}; messages: ${formatCounts(sendsByType(sim.trace))}.`,
    );
  },
};
