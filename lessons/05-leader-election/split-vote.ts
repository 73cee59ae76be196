// Lesson 5, scenario 2: two candidates in the same term split the votes; fresh random timeouts break the tie.

import { Simulation } from "@course/sim";
import { createRaftNode, finishStory, raftDescriber, raftNodes, waitForLeader, type RaftMessage, type RaftNode, type RequestVoteReply } from "@course/raft";
import { raftInvariants } from "@course/check";
import type { Scenario } from "../lesson.js";

const NODES = [0, 1, 2, 3];

export const splitVote: Scenario = {
  id: "split-vote",
  title: "A split vote, resolved by randomised timeouts",
  summary: "Nodes 0 and 1 time out together. Node 2 is close to node 0 and node 3 close to node 1, so each candidate gets one vote besides its own: two of four, no majority. Each then waits a new random time; the one that fires first wins the next term.",
  protocol: "raft",
  defaultSeed: 1,
  describe: raftDescriber(),
  run({ seed }) {
    const sim = new Simulation<RaftMessage>({
      seed,
      nodes: NODES,
      network: { latency: { kind: "fixed", ms: 1 } },
      createNode: createRaftNode({ firstTimeouts: { 0: 10, 1: 10, 2: 1000, 3: 1000 } }),
      hooks: raftInvariants(),
      record: true,
    });
    sim.heading("Two timers fire at once", "tie");
    sim.note("The first timeouts are scripted here so that nodes 0 and 1 both fire at 10 ms. Links 0-3 and 1-2 are slow (20 ms), the others fast (1 ms).");
    for (const [from, to] of [[0, 3], [3, 0], [1, 2], [2, 1]] as const) sim.apply({ type: "link", from, to, config: { latency: { kind: "fixed", ms: 20 } } });
    sim.runUntilTime(60);
    const granted = (candidate: number, term: number) =>
      sim.trace.filter((e) => e.kind === "deliver" && e.to === candidate && e.msg.type === "RequestVoteReply" && (e.msg as RequestVoteReply).voteGranted && (e.msg as RequestVoteReply).term === term).length + 1;
    const split = [0, 1].map((c) => `node ${c}: ${granted(c, 1)} votes`).join(", ");
    sim.note(`Term 1 ends without a winner (${split}; 3 of 4 needed). Every vote in term 1 is spent, so nobody can win it any more.`, { label: "split" });
    sim.heading("New random timeouts break the tie", "retry");
    const timers = raftNodes(sim).map((n) => ({ id: n.id, at: n.electionDeadline ?? Infinity })).sort((a, b) => a.at - b.at);
    const retry = timers.map((t) => `node ${t.id} at ${t.at.toFixed(0)} ms`);
    sim.note(
      `The candidates drew fresh timeouts between 150 and 300 ms, and so did nodes 2 and 3 when they granted their votes: ${retry.join(", ")}. ` +
        `Node ${timers[0]?.id} fires first, starts term 2 while everyone else is still waiting, and collects the votes.`,
    );
    const leader = waitForLeader(sim, 2000) as RaftNode;
    sim.runFor(100);
    return finishStory(sim, `term 1 split (${split}); node ${leader.id} won term ${leader.currentTerm} with ${granted(leader.id, leader.currentTerm)}/4 votes.`);
  },
};
