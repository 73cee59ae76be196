// Case 3: only a minority is up: no value can be chosen, which is the safe outcome; a returning node restores progress.

import { countSends, describePaxosEvent, finishStory, majority } from "@course/paxos";
import type { Scenario } from "../lesson.js";
import { asRun, inspect, learners, paxosCluster } from "./cluster.js";

const PROPOSER = 2;
const DOWN = [0, 1, 3];
const WAIT = 600;

export const minorityAlive: Scenario = {
  id: "minority-alive",
  title: "A minority alive: no progress, and why that is right",
  summary:
    "Only nodes 2 and 4 are up. Proposer 2 tries round after round and never gets a third promise. Then node 0 comes back, a majority exists again, and the next round succeeds.",
  protocol: "paxos",
  defaultSeed: 1,
  describe: describePaxosEvent,
  run({ seed }) {
    const sim = paxosCluster(seed, { faults: DOWN.map((node) => ({ at: 0, action: { type: "crash", node } })) });
    sim.runUntilTime(0);
    sim.heading("Case 3: only a minority is alive", "case-3-minority");
    sim.note(`Nodes ${DOWN.join(", ")} are down; only 2 and 4 are up. A majority of five is ${majority(5)}.`);
    sim.request(PROPOSER, "x=42");
    sim.runUntilTime(WAIT);
    const stuck = inspect(sim, PROPOSER);
    const roundsWhileStuck = stuck?.proposer.attempts ?? 0;
    const stuckMessages = countSends(sim.trace).total;
    sim.note(
      `After ${WAIT} ms: ${roundsWhileStuck} rounds, ${stuckMessages} messages, nothing chosen (learners: ${learners(sim).length}). ` +
        "This is the safe outcome. Two nodes cannot tell a crash from a partition: if they could decide alone, the three nodes they cannot reach might be alive on the other side of a partition and decide something else.",
      { label: "why-no-progress" },
    );
    sim.heading("Node 0 comes back: a majority again", "majority-back");
    sim.apply({ type: "restart", node: 0 });
    sim.runUntil(() => inspect(sim, PROPOSER)?.learned !== undefined, { timeout: 3000 });
    const done = inspect(sim, PROPOSER);
    if (done?.learned !== undefined) sim.note(`'${done.learned}' is chosen in round ${done.proposer.attempts}: acceptors ${sim.nodeIds.filter((id) => inspect(sim, id)?.acceptor.accepted?.v === done.learned).join(", ")} accepted it.`, { label: "chosen" });
    sim.runFor(20);
    return asRun(
      finishStory(
        sim,
        done?.learned === undefined
          ? `still nothing chosen after ${done?.proposer.attempts ?? 0} rounds.`
          : `nothing chosen during ${roundsWhileStuck} rounds with 2 of 5 nodes up; '${done.learned}' chosen ${Math.round(sim.now - WAIT)} ms after node 0 returned, in round ${done.proposer.attempts}; ${countSends(sim.trace).total} messages sent.`,
      ),
    );
  },
};
