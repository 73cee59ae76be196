// Case 2, fixed as Paxos Made Simple §2.4 fixes it: one distinguished proposer, the same race, no duel.

import { countSends, describePaxosEvent, finishStory, formatBallot } from "@course/paxos";
import type { Scenario } from "../lesson.js";
import { asRun, FIVE, inspect, learners, paxosCluster } from "./cluster.js";
import { proposerRounds } from "./rounds.js";
import { DUEL_NETWORK, RIVALS, RIVAL_DELAY } from "./duel-setup.js";

export const distinguishedProposer: Scenario = {
  id: "distinguished-proposer",
  title: "The fix from Paxos Made Simple: a distinguished proposer",
  summary:
    "The same two clients, the same timing and the same even network as the duel, but node 1 is the distinguished proposer: the only node that issues proposals. Node 3 hands its client's value to node 1 instead of proposing it. One round, no refusals. The catch: while node 1 is down nobody proposes, so real systems elect the distinguished proposer (Multi-Paxos in lesson 4, Raft's leader from lesson 5).",
  protocol: "paxos",
  defaultSeed: 1,
  describe: describePaxosEvent,
  run({ seed }) {
    const [leader, other] = RIVALS;
    const sim = paxosCluster(seed, { node: { distinguishedProposer: leader }, network: DUEL_NETWORK });
    sim.heading(`Case 2, fixed: node ${leader} is the only proposer; node ${other}'s client arrives ${RIVAL_DELAY} ms later`, "distinguished");
    sim.request(leader, "a");
    sim.runUntilTime(RIVAL_DELAY);
    sim.request(other, "b");
    sim.note(`Node ${other} starts no round of its own: only node ${leader} proposes, and node ${other} waits to learn the outcome as a learner.`, { label: "forwarded" });
    sim.runUntil(() => FIVE.every((id) => inspect(sim, id)?.learned !== undefined), { timeout: 1000 });
    const rounds = proposerRounds(sim.trace, FIVE.length);
    const value = inspect(sim, leader)?.learned;
    sim.note(
      `'${value ?? "nothing"}' is chosen at n=${formatBallot(rounds.find((r) => r.chosen)?.ballot)} in ${rounds.length} round${rounds.length === 1 ? "" : "s"}, ${rounds.filter((r) => r.preempted).length} pre-empted. Node ${other}'s value 'b' is not chosen: this instance chooses one value, and its client is told which.`,
      { label: "chosen" },
    );
    sim.runFor(20);
    return asRun(finishStory(sim, `'${value ?? "nothing"}' chosen in ${rounds.length} round(s) by proposer ${leader} alone; learned by ${learners(sim).length} of ${FIVE.length}; ${countSends(sim.trace).total} messages sent.`));
  },
};
