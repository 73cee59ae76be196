// Lesson 2's run: Basic Paxos with nothing going wrong, phase by phase, counting messages and message delays.

import { Simulation } from "@course/sim";
import { countSends, createPaxosNode, describePaxosEvent, finishStory, formatBallot, formatCounts, headingBefore, messageDelaysUntil, type BasicPaxosNode, type PaxosMessage } from "@course/paxos";
import { paxosChecker } from "@course/check";
import type { Scenario } from "../lesson.js";
import { asRun } from "../03-paxos-failures/cluster.js";

const NODES = [0, 1, 2, 3, 4];
const PROPOSER = 0;
const VALUE = "x=42";

export const happyPath: Scenario = {
  id: "happy-path",
  title: "Basic Paxos on five acceptors",
  summary:
    "Proposer 0 gets 'x=42' chosen: prepare and promise (phase 1), accept and accepted (phase 2), and every learner learns it. Count the message delays between the client's request and the first learner learning: four.",
  protocol: "paxos",
  defaultSeed: 1,
  describe: describePaxosEvent,
  run({ seed }) {
    const sim = new Simulation<PaxosMessage>({ seed, nodes: NODES, createNode: createPaxosNode(), hooks: [paxosChecker()], record: true });
    const view = (id: number) => sim.node<BasicPaxosNode>(id)?.inspect();
    sim.heading("Phase 1: prepare and promise", "phase-1");
    sim.note(
      `Every node is an acceptor and a learner; node ${PROPOSER} also acts as proposer for the client. Its proposal number pairs a round with its id, so no other proposer can ever use the same number.`,
    );
    const requestSeq = sim.trace.length;
    sim.request(PROPOSER, VALUE);
    headingBefore(sim, () => view(PROPOSER)?.proposer.phase === "accept", "Phase 2: accept and accepted", undefined, 2000);
    sim.runUntil(() => view(PROPOSER)?.proposer.phase === "accept", { timeout: 2000 });
    const promisers = [...(view(PROPOSER)?.proposer.promises.keys() ?? [])].sort((a, b) => a - b);
    sim.note(`Acceptors ${promisers.join(", ")} have promised n=${formatBallot(view(PROPOSER)?.proposer.ballot)}, a majority: proposer ${PROPOSER} is in phase 2 and has sent accept with '${view(PROPOSER)?.proposer.proposing}'.`, { label: "phase-2" });
    headingBefore(sim, () => NODES.some((id) => view(id)?.learned !== undefined), "Learning: a majority accepted the same proposal", undefined, 2000);
    sim.runUntil(() => NODES.some((id) => view(id)?.learned !== undefined), { timeout: 2000 });
    const first = NODES.find((id) => view(id)?.learned !== undefined);
    const acceptedBy = NODES.filter((id) => view(id)?.acceptor.accepted?.v === VALUE);
    sim.note(
      `Learner ${first} has heard "accepted" for n=${formatBallot(view(PROPOSER)?.proposer.ballot)} from a majority of acceptors, so it knows '${VALUE}' is chosen. So far acceptors ${acceptedBy.join(", ")} have accepted it; learners still waiting for their accepted messages find out a little later.`,
      { label: "learn" },
    );
    sim.runUntil(() => NODES.every((id) => view(id)?.learned !== undefined), { timeout: 2000 });
    sim.runFor(20);
    const delays = messageDelaysUntil(sim.trace, (e) => e.kind === "state" && (e.view as { learned?: unknown }).learned != null, requestSeq);
    const sends = countSends(sim.trace, requestSeq);
    const learned = NODES.filter((id) => view(id)?.learned === VALUE);
    sim.note(
      `The chain from request to learning is prepare, promise, accept, accepted: each waits for the one before, so a value costs ${delays ?? "?"} message delays. ` +
        `The accepted messages go from every acceptor to every learner, which is why they dominate the count.`,
      { label: "count" },
    );
    const run = finishStory(
      sim,
      `'${view(PROPOSER)?.learned ?? "nothing"}' chosen at n=${formatBallot(view(PROPOSER)?.proposer.ballot)}, learned by ${learned.length} of ${NODES.length}; ${delays ?? "?"} message delays from request to the first learner; ${sends.total} messages (${formatCounts(sends.byType)}).`,
    );
    return asRun(run);
  },
};
