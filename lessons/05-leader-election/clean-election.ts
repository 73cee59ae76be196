// Lesson 5, scenario 1: five followers, random timeouts, one candidate, one leader, then steady heartbeats.

import { finishStory, formatCounts, majority, raftDescriber, raftNodes, sendsByType, waitForLeader, type RequestVoteReply, type RaftNode } from "@course/raft";
import type { Scenario } from "../lesson.js";
import { FIVE, raftCluster } from "./cluster.js";

/** How long the scenario watches the leader's heartbeats. */
export const WATCH_MS = 500;

export const cleanElection: Scenario = {
  id: "clean-election",
  title: "A clean election",
  summary:
    "Every node starts as a follower with its own random election timeout. The first timer to fire makes its node a candidate; the others vote for it, it becomes leader and appends a no-op of its term, and its heartbeats keep everyone else's timers from firing.",
  protocol: "raft",
  defaultSeed: 1,
  describe: raftDescriber(),
  run({ seed }) {
    const sim = raftCluster(seed, FIVE);
    const nodes = raftNodes(sim);
    const { min, max } = (nodes[0] as RaftNode).options.electionTimeout;
    sim.heading("Everyone starts as a follower", "start");
    const deadlines = nodes.map((n) => ({ id: n.id, at: n.electionDeadline ?? Infinity })).sort((a, b) => a.at - b.at);
    const first = deadlines[0] as { id: number; at: number };
    sim.note(
      `No node knows of a leader, so each waits a random time between ${min} and ${max} ms for a heartbeat. The timers fire at ${deadlines.map((d) => `${d.at.toFixed(0)} ms (node ${d.id})`).join(", ")}. ` +
        `Node ${first.id} will run out of patience first; the gap to the next timer is its head start.`,
    );
    sim.runUntilTime(first.at - 0.001);
    sim.heading("The election");
    const leader = waitForLeader(sim, 2000) as RaftNode;
    const electedAt = sim.now;
    const votes = sim.trace.filter((e) => e.kind === "deliver" && e.to === leader.id && e.msg.type === "RequestVoteReply" && (e.msg as RequestVoteReply).voteGranted && (e.msg as RequestVoteReply).term === leader.currentTerm).length;
    const noop = leader.log.entryAt(leader.log.lastIndex);
    sim.note(
      `Node ${leader.id} counts its own vote plus ${votes} granted votes: ${votes + 1} of ${FIVE.length}, and ${majority(FIVE.length)} is a majority. ` +
        `A voter grants at most one vote per term and writes that vote to disk before answering, so no other node can also collect a majority in term ${leader.currentTerm}. ` +
        `Its first act as leader is to append a no-op entry of term ${noop?.term} at index ${noop?.index} and send it to everyone (§8); the next scenario shows what that is for.`,
      { label: "elected" },
    );
    sim.heading("Heartbeats hold the leadership");
    const before = sim.trace.length;
    sim.runFor(WATCH_MS);
    const sent = sendsByType(sim.trace, before);
    sim.note(
      `For ${WATCH_MS} ms the leader sends empty AppendEntries every ${leader.options.heartbeatInterval} ms (${sent["AppendEntries"] ?? 0} of them). Each one resets a follower's election timer, so no follower becomes a candidate while the leader is alive and reachable.`,
      { label: "heartbeats" },
    );
    const terms = [...new Set(raftNodes(sim).map((n) => n.currentTerm))];
    return finishStory(
      sim,
      `node ${leader.id} leads term ${leader.currentTerm}, elected at ${electedAt.toFixed(1)} ms with ${votes + 1}/${FIVE.length} votes; terms now ${terms.join(",")}; messages: ${formatCounts(sendsByType(sim.trace))}.`,
    );
  },
};
