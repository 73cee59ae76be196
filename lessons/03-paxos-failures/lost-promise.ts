// Case 1, the seed's demo made exact: three acceptors alive, one promise lost, "got 2, need 3"; then a retry wins.

import { countSends, describePaxosEvent, finishStory, formatBallot, headingBefore, majority, nextProposalNumber } from "@course/paxos";
import type { Scenario } from "../lesson.js";
import { asRun, inspect, paxosCluster } from "./cluster.js";

const PROPOSER = 2;
const VALUE = "x=42";

export const lostPromise: Scenario = {
  id: "lost-promise",
  title: "A lost promise: got 2, need 3",
  summary:
    "Only acceptors 0, 2 and 4 are up, and acceptor 2's promise never comes (node 2's link to itself is cut), so proposer 2 collects two promises where it needs three. Watch why it must not go ahead, and how a retry with a higher number succeeds once messages flow again.",
  protocol: "paxos",
  defaultSeed: 1,
  describe: describePaxosEvent,
  run({ seed }) {
    const sim = paxosCluster(seed, {
      faults: [
        { at: 0, action: { type: "crash", node: 1 } },
        { at: 0, action: { type: "crash", node: 3 } },
        // The explicit fault that loses acceptor 2's promise: node 2's messages to itself are dropped.
        { at: 0, action: { type: "cut", from: PROPOSER, to: PROPOSER } },
      ],
    });
    sim.heading("Case 1: a lost promise", "case-1-lost-promise");
    sim.runUntilTime(0);
    const alive = sim.nodeIds.filter((id) => sim.isUp(id));
    sim.note(`Alive acceptors: [${alive.join(", ")}]. Nodes 1 and 3 are down, and node 2's link to itself is cut, so whatever its proposer sends its own acceptor is lost.`);

    const firstNumber = nextProposalNumber([], 0, PROPOSER);
    sim.heading(`Round 1: proposer ${PROPOSER}, target value '${VALUE}', proposal number n=${formatBallot(firstNumber)} (round ${firstNumber.round}); phase 1`, "round-1");
    const roundStart = sim.trace.length;
    sim.request(PROPOSER, VALUE);
    const failed = sim.runUntil(() => inspect(sim, PROPOSER)?.proposer.phase === "backoff", { timeout: 1000 });
    const first = inspect(sim, PROPOSER);
    const promises = first?.proposer.promises.size ?? 0;
    const need = majority(sim.nodeIds.length);
    const round1 = countSends(sim.trace, roundStart);
    sim.note(
      `After round 1 (n=${formatBallot(first?.proposer.ballot)}): chosen=${first?.learned !== undefined}, value=${first?.learned ?? "none"}, promises=${promises} (need ${need}), messages sent=${round1.total} (${round1.byType.prepare ?? 0} prepare, ${round1.byType.promise ?? 0} promise).`,
      { label: "round-1-result" },
    );
    sim.note(
      `Why stop at ${promises}? A majority is ${need} of ${sim.nodeIds.length} because any two majorities share at least one acceptor, and that shared acceptor is how a later proposer finds out about a value that may already be chosen. ` +
        `With only ${promises} promises the proposer has no such guarantee: the acceptors it did not hear from might have promised, or accepted, something else. Waiting is safe; going ahead is not.`,
      { label: "why" },
    );
    if (!failed) return asRun(finishStory(sim, `Round 1 did not fail as expected with seed ${seed}; see the trace.`));

    sim.heading("Round 2: the loss was temporary; retry with a higher number", "round-2");
    sim.apply({ type: "heal", from: PROPOSER, to: PROPOSER });
    sim.note(`Node 2's self-link works again. After a random backoff, proposer ${PROPOSER} starts over with a number above every one it has used or seen refused.`);
    const chosen = headingBefore(sim, () => inspect(sim, PROPOSER)?.proposer.phase === "accept", "Phase 2: accept, accepted", "round-2-phase-2", 2000);
    if (chosen) sim.runUntil(() => inspect(sim, PROPOSER)?.learned !== undefined, { timeout: 2000 });
    sim.runFor(20);
    const last = inspect(sim, PROPOSER);
    const total = countSends(sim.trace);
    return asRun(
      finishStory(
        sim,
        last?.learned === undefined
          ? `chosen=false after ${last?.proposer.attempts ?? 0} rounds; ${total.total} messages sent.`
          : `chosen=true, value='${last.learned}' at n=${formatBallot(last.proposer.ballot)} in round ${last.proposer.attempts}; round 1 got ${promises} of ${need} promises; ${total.total} messages sent in all.`,
      ),
    );
  },
};
