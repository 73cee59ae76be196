// Lesson 5, scenario 4: PreVote keeps a node that was cut off from forcing an election when it returns.

import { Simulation } from "@course/sim";
import { createRaftNode, finishStory, leaderOf, raftDescriber, waitForLeader, type RaftMessage, type RaftNode } from "@course/raft";
import { raftInvariants } from "@course/check";
import type { Scenario } from "../lesson.js";

const NODES = [0, 1, 2, 3, 4];

export const preVote: Scenario = {
  id: "prevote",
  title: "PreVote: a returning node does not disrupt the cluster",
  summary: "A follower is cut off for two seconds. Without PreVote it times out again and again, raising its term each time, and when it returns its high term forces the healthy leader to step down. With PreVote it first asks whether it could win; nobody answers yes, so its term never moves.",
  protocol: "raft",
  defaultSeed: 2,
  variants: { "without-prevote": "PreVote turned off: the cut-off node's term climbs, and its return forces a needless election." },
  describe: raftDescriber(),
  run({ seed, variant }) {
    const withPreVote = variant !== "without-prevote";
    const sim = new Simulation<RaftMessage>({ seed, nodes: NODES, createNode: createRaftNode({ preVote: withPreVote }), hooks: raftInvariants(), record: true });
    sim.heading(`A stable cluster (PreVote ${withPreVote ? "on" : "off"})`, "stable");
    const leader = waitForLeader(sim, 2000) as RaftNode;
    const term = leader.currentTerm;
    const lonely = NODES.find((n) => n !== leader.id) as number;
    sim.runFor(100);
    sim.heading(`Node ${lonely} is cut off for two seconds`, "isolate");
    sim.apply({ type: "isolate", node: lonely });
    sim.note(
      withPreVote
        ? `Each time its timer fires, node ${lonely} sends pre-votes for term ${term + 1} without changing its own term. Nobody can answer, so it never starts a real election.`
        : `Each time its timer fires, node ${lonely} starts a real election: term ${term + 1}, then ${term + 2}, and so on, none of which it can win.`,
    );
    sim.runFor(2000);
    const isolatedTerm = (sim.node<RaftNode>(lonely) as RaftNode).currentTerm;
    sim.heading("It comes back", "return");
    sim.apply({ type: "heal" });
    sim.runFor(1000);
    const now = leaderOf(sim);
    sim.note(
      withPreVote
        ? `The leader's heartbeats reach node ${lonely} again and it follows. Had its timer fired first, its pre-votes would have been refused: the others hear from leader ${leader.id}, so nobody's term moved.`
        : `Node ${lonely}'s replies carry term ${isolatedTerm}; the leader sees a higher term and steps down, and the cluster has to elect again for no reason.`,
    );
    return finishStory(
      sim,
      `PreVote ${withPreVote ? "on" : "off"}: node ${lonely} reached term ${isolatedTerm} while cut off; leader before node ${leader.id} (term ${term}), after node ${now?.id ?? "none"} (term ${now?.currentTerm ?? "-"}); ${now?.currentTerm === term ? "no election was needed" : "the return forced a new election"}.`,
    );
  },
};
