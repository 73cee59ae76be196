// Lesson 5, scenario 3: two candidates in the same term split the votes; fresh random timeouts break the tie.

import { finishStory, majority, raftDescriber, raftNodes, waitForLeader, type RaftNode, type RequestVoteReply } from "@course/raft";
import type { Scenario } from "../lesson.js";
import { raftCluster } from "./cluster.js";

/** Four servers, so that two candidates can each collect exactly half the votes. */
const NODES = [0, 1, 2, 3];
const FAST = 1;
const SLOW = 20;
const TIE_AT = 10;

export const splitVote: Scenario = {
  id: "split-vote",
  title: "A split vote, resolved by randomized timeouts",
  summary:
    "Four servers, not five. Nodes 0 and 1 time out together. Node 2 is close to node 0 and node 3 close to node 1, so each candidate gets one vote besides its own: two of four, no majority. Each server then waits a new random time; the one that fires first wins the next term.",
  protocol: "raft",
  defaultSeed: 1,
  describe: raftDescriber(),
  run({ seed }) {
    const sim = raftCluster(seed, NODES, { firstTimeouts: { 0: TIE_AT, 1: TIE_AT, 2: 1000, 3: 1000 } }, { latency: { kind: "fixed", ms: FAST } });
    const { min, max } = (raftNodes(sim)[0] as RaftNode).options.electionTimeout;
    sim.heading("Two timers fire at once");
    sim.note(
      `This cluster has ${NODES.length} servers, not five, so that two candidates can split the vote evenly: a majority is ${majority(NODES.length)} of ${NODES.length}. ` +
        `The first timeouts are scripted so that nodes 0 and 1 both fire at ${TIE_AT} ms. Links 0-3 and 1-2 are slow (${SLOW} ms), the others fast (${FAST} ms).`,
    );
    for (const [from, to] of [[0, 3], [3, 0], [1, 2], [2, 1]] as const) sim.apply({ type: "link", from, to, config: { latency: { kind: "fixed", ms: SLOW } } });
    sim.runUntilTime(TIE_AT + 3 * SLOW);
    const granted = (candidate: number, term: number) =>
      sim.trace.filter((e) => e.kind === "deliver" && e.to === candidate && e.msg.type === "RequestVoteReply" && (e.msg as RequestVoteReply).voteGranted && (e.msg as RequestVoteReply).term === term).length + 1;
    const split = [0, 1].map((c) => `node ${c}: ${granted(c, 1)} votes`).join(", ");
    sim.note(`Term 1 ends without a winner (${split}; ${majority(NODES.length)} of ${NODES.length} needed). Every server has voted in term 1, so nobody can win it any more.`, { label: "split" });
    sim.heading("New random timeouts break the tie");
    const timers = raftNodes(sim).map((n) => ({ id: n.id, at: n.electionDeadline ?? Infinity })).sort((a, b) => a.at - b.at);
    const retry = timers.map((t) => `node ${t.id} at ${t.at.toFixed(0)} ms`);
    sim.note(
      `The candidates drew fresh timeouts between ${min} and ${max} ms when they started campaigning, and so did nodes 2 and 3 when they granted their votes: ${retry.join(", ")}. ` +
        `Node ${timers[0]?.id} fires first and starts term 2 while everyone else is still waiting.`,
    );
    const leader = waitForLeader(sim, 2000) as RaftNode;
    const won = granted(leader.id, leader.currentTerm);
    sim.note(`Node ${leader.id} wins term ${leader.currentTerm} with ${won} of ${NODES.length} votes (its own among them).`, { label: "won" });
    sim.runFor(100);
    return finishStory(sim, `term 1 split (${split}); node ${leader.id} won term ${leader.currentTerm} with ${won}/${NODES.length} votes.`);
  },
};
