// Lesson 1, part two: consensus keeps deciding with two of five nodes down, and why that alone is not a commit protocol.

import { Simulation } from "@course/sim";
import { countSends, createPaxosNode, describePaxosEvent, finishStory, formatBallot, majority, messageDelaysUntil, type BasicPaxosNode, type PaxosMessage } from "@course/paxos";
import { paxosChecker } from "@course/check";
import type { Scenario } from "../lesson.js";
import { asRun } from "../03-paxos-failures/cluster.js";
import { NODES } from "./transaction.js";

const DOWN = [0, 3];
const PROPOSER = 1;
const VALUE = "commit t1";

export const majorityKeepsGoing: Scenario = {
  id: "majority-keeps-going",
  title: "Consensus keeps going with two nodes down, and is still not atomic commit",
  summary:
    "The same five nodes, now running Basic Paxos, agree on 'commit t1' while nodes 0 and 3 are down: any three can decide. But look at what was decided: node 3 never had a say. Consensus only promises that one proposed value is chosen; atomic commit needs every participant's YES, and a NO or a missing vote must abort.",
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
    sim.runUntilTime(0);
    sim.heading(`Consensus with nodes ${DOWN.join(" and ")} down`, "paxos");
    sim.note(`Node 0 was the 2PC coordinator. Any ${majority(NODES.length)} of the ${NODES.length} nodes form a majority, and any two majorities overlap, so the survivors may decide on their own.`);
    const from = sim.trace.length;
    sim.request(PROPOSER, VALUE);
    sim.runUntil(() => view(PROPOSER)?.learned !== undefined, { timeout: 2000 });
    const up = NODES.filter((id) => sim.isUp(id));
    const acceptedBy = up.filter((id) => view(id)?.acceptor.accepted?.v === VALUE);
    if (view(PROPOSER)?.learned !== undefined) {
      sim.note(`'${VALUE}' is chosen: acceptors ${acceptedBy.join(", ")} accepted it, a majority, with nodes ${DOWN.join(" and ")} down the whole time.`, { label: "chosen" });
      sim.note(
        `As consensus this is correct: a proposed value was chosen, and no other ever can be. As atomic commit it would be wrong: node ${DOWN[1]} never voted on the transaction, and had it been asked it might have said NO. ` +
          "A commit protocol must abort on a NO or a missing vote however many nodes are up; a majority cannot outvote one participant. The next scenario keeps 2PC's rule and uses consensus only to keep the coordinator's decision safe.",
        { label: "not-atomic-commit" },
      );
    }
    sim.runFor(20);
    const learned = up.filter((id) => view(id)?.learned !== undefined);
    const delays = messageDelaysUntil(sim.trace, (e) => e.kind === "state" && (e.view as { learned?: unknown }).learned != null, from);
    const run = finishStory(
      sim,
      view(PROPOSER)?.learned === undefined
        ? "nothing chosen."
        : `'${view(PROPOSER)?.learned}' chosen at n=${formatBallot(view(PROPOSER)?.proposer.ballot)} with nodes ${up.join(", ")} up; learned by ${learned.length} of ${up.length} live nodes after ${delays ?? "?"} message delays; ${countSends(sim.trace, from).total} messages sent; node ${DOWN[1]} was never asked.`,
    );
    return asRun(run);
  },
};
