// Lesson 1, part two: the same five nodes agree with Paxos while two of them, the old coordinator included, are down.

import { Simulation } from "@course/sim";
import { countSends, createPaxosNode, describePaxosEvent, finishStory, formatBallot, majority, messageDelaysUntil, type BasicPaxosNode, type PaxosMessage } from "@course/paxos";
import { paxosChecker } from "@course/check";
import type { Scenario } from "../lesson.js";
import { asRun } from "../03-paxos-failures/cluster.js";

const NODES = [0, 1, 2, 3, 4];
const DOWN = [0, 3];
const PROPOSER = 1;
const VALUE = "commit t1";

export const majorityKeepsGoing: Scenario = {
  id: "majority-keeps-going",
  title: "A majority protocol keeps going with two nodes down",
  summary:
    "The same five nodes, now running Paxos, agree on 'commit t1' while nodes 0 and 3 are down. There is no single node whose death stops the others: any three can decide.",
  protocol: "paxos",
  defaultSeed: 1,
  describe: describePaxosEvent,
  run({ seed }) {
    const sim = new Simulation<PaxosMessage>({
      seed,
      nodes: NODES,
      createNode: createPaxosNode(),
      faults: DOWN.map((node) => ({ at: 0, action: { type: "crash", node } })),
      hooks: [paxosChecker()],
      record: true,
    });
    const view = (id: number) => sim.node<BasicPaxosNode>(id)?.inspect();
    sim.heading("Consensus with two of five nodes down", "paxos");
    sim.runUntilTime(0);
    sim.note(`Nodes ${DOWN.join(" and ")} are down (node 0 was the 2PC coordinator). Any ${majority(NODES.length)} of the ${NODES.length} nodes form a majority, and any two majorities overlap, so the survivors may decide on their own.`);
    const from = sim.trace.length;
    sim.request(PROPOSER, VALUE);
    sim.runUntil(() => view(PROPOSER)?.learned !== undefined, { timeout: 2000 });
    sim.runFor(20);
    const up = NODES.filter((id) => sim.isUp(id));
    const learned = up.filter((id) => view(id)?.learned !== undefined);
    const delays = messageDelaysUntil(sim.trace, (e) => e.kind === "state" && (e.view as { learned?: unknown }).learned != null, from);
    const run = finishStory(
      sim,
      view(PROPOSER)?.learned === undefined
        ? "nothing chosen."
        : `'${view(PROPOSER)?.learned}' chosen at n=${formatBallot(view(PROPOSER)?.proposer.ballot)} with nodes ${up.join(", ")} up; learned by ${learned.length} of ${up.length} live nodes after ${delays ?? "?"} message delays; ${countSends(sim.trace, from).total} messages sent.`,
    );
    return asRun(run);
  },
};
