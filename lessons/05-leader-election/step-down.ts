// Lesson 5, scenario 3: a cut-off leader keeps its old term; when it hears a higher term it steps down.

import { Simulation } from "@course/sim";
import { createRaftNode, finishStory, leaderOf, raftDescriber, waitForLeader, type RaftMessage, type RaftNode } from "@course/raft";
import { raftInvariants } from "@course/check";
import type { Scenario } from "../lesson.js";

const NODES = [0, 1, 2, 3, 4];

export const stepDown: Scenario = {
  id: "step-down",
  title: "A leader steps down on seeing a higher term",
  summary: "The leader is cut off; the other four elect a new leader in a higher term. The old leader still thinks it leads and even accepts a write it can never commit. When the network heals, the first message with the newer term turns it into a follower and its stray entry is replaced.",
  protocol: "raft",
  defaultSeed: 3,
  describe: raftDescriber(),
  run({ seed }) {
    const sim = new Simulation<RaftMessage>({ seed, nodes: NODES, createNode: createRaftNode(), hooks: raftInvariants(), record: true });
    sim.heading("A leader is elected", "elect");
    const old = waitForLeader(sim, 2000) as RaftNode;
    const oldTerm = old.currentTerm;
    sim.runFor(100);
    sim.heading(`Node ${old.id} is cut off`, "isolate");
    sim.apply({ type: "isolate", node: old.id });
    sim.request(old.id, "x=stale");
    sim.note(`Node ${old.id} accepts the write into its log, but no follower can acknowledge it: without a majority it stays uncommitted and the client gets no answer.`);
    sim.runUntil(() => (leaderOf(sim)?.currentTerm ?? 0) > oldTerm, { timeout: 2000 });
    const fresh = leaderOf(sim) as RaftNode;
    sim.note(`The others stopped hearing heartbeats, so one of them timed out and won term ${fresh.currentTerm}. Two nodes now call themselves leader, but in different terms: only the newer one can gather a majority.`);
    sim.request(fresh.id, "x=1");
    sim.runFor(200);
    sim.heading("The network heals", "heal");
    sim.apply({ type: "heal" });
    sim.runUntil(() => sim.node<RaftNode>(old.id)?.role !== "leader", { timeout: 1000 });
    sim.runFor(200);
    const after = sim.node<RaftNode>(old.id) as RaftNode;
    const stray = after.log.all().some((e) => e.command.kind === "client" && e.command.op.value === "stale");
    return finishStory(
      sim,
      `node ${old.id} led term ${oldTerm}, stepped down to ${after.role} in term ${after.currentTerm} (leader now node ${leaderOf(sim)?.id ?? "none"}); its uncommitted write is ${stray ? "still there" : "gone"}, its log has ${after.log.lastIndex} entr${after.log.lastIndex === 1 ? "y" : "ies"}.`,
    );
  },
};
