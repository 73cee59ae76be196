// Case 1, the seed's demo made exact: acceptors 0, 2 and 4 alive, acceptor 2's promise lost on a real link, "got 2, need 3".

import { countSends, describePaxosEvent, finishStory, formatBallot, majority, nextProposalNumber } from "@course/paxos";
import type { Scenario } from "../lesson.js";
import { asRun, inspect, paxosCluster } from "./cluster.js";

const PROPOSER = 0;
/** The acceptor whose promise is lost on its way to the proposer. */
const LOST = 2;
const DOWN = [1, 3];
const VALUE = "x=42";

export const lostPromise: Scenario = {
  id: "lost-promise",
  title: "A lost promise: got 2, need 3",
  summary:
    "Only acceptors 0, 2 and 4 are up, and the link from node 2 to node 0 fails one way, so acceptor 2's promise never reaches proposer 0: two promises where three are needed. Watch why the proposer must not go ahead, where the seed post's demo output differs from a correct run, and how a retry with a higher number succeeds once the link works again.",
  protocol: "paxos",
  defaultSeed: 1,
  describe: describePaxosEvent,
  run({ seed }) {
    const sim = paxosCluster(seed, {
      faults: [
        ...DOWN.map((node) => ({ at: 0, action: { type: "crash" as const, node } })),
        // A one-way link failure: what node 2 sends to node 0 is lost; everything else gets through.
        { at: 0, action: { type: "cut", from: LOST, to: PROPOSER } },
      ],
    });
    sim.runUntilTime(0);
    const alive = sim.nodeIds.filter((id) => sim.isUp(id));
    sim.heading(`Case 1: acceptors ${alive.join(", ")} alive, and the link from node ${LOST} to node ${PROPOSER} down`, "case-1-lost-promise");
    sim.note(`Alive acceptors: [${alive.join(", ")}]. Nodes ${DOWN.join(" and ")} are down, and messages from node ${LOST} to node ${PROPOSER} are lost (one way: node ${PROPOSER} can still reach node ${LOST}).`);

    const firstNumber = nextProposalNumber([], 0, PROPOSER);
    sim.heading(`Round 1: proposer ${PROPOSER} proposes '${VALUE}' with n=${formatBallot(firstNumber)} (round ${firstNumber.round} of proposer ${PROPOSER})`, "round-1");
    const roundStart = sim.trace.length;
    sim.request(PROPOSER, VALUE);
    const failed = sim.runUntil(() => inspect(sim, PROPOSER)?.proposer.phase === "backoff", { timeout: 1000 });
    const first = inspect(sim, PROPOSER);
    const promisedBy = [...(first?.proposer.promises.keys() ?? [])].sort((a, b) => a - b);
    const need = majority(sim.nodeIds.length);
    const round1 = countSends(sim.trace, roundStart);
    const arrived = sim.trace.filter((e) => e.seq >= roundStart && e.kind === "deliver" && e.msg.type === "promise").length;
    sim.note(
      `After round 1 (n=${formatBallot(first?.proposer.ballot)}): chosen=${first?.learned !== undefined}, promises from acceptors ${promisedBy.join(" and ")}: got ${promisedBy.length}, need ${need}. ` +
        `Acceptor ${LOST} did promise (its promise is on its disk), but the promise was lost on the link to node ${PROPOSER}.`,
      { label: "round-1-result" },
    );
    sim.note(
      `Where the seed post's demo printed something else: its "msgs=2" matches only the ${arrived} promises that arrived. A correct round 1 sent ${round1.total} messages: ${round1.byType.prepare ?? 0} prepares ` +
        `(one to each acceptor, ${DOWN.length} of them to nodes that are down, one to node ${PROPOSER}'s own acceptor) and ${round1.byType.promise ?? 0} promises (one lost). ` +
        `Its "proposal number = 1" is round 1 here, written n=${formatBallot(first?.proposer.ballot)}: two proposers must never use the same number (Paxos Made Simple §2.2), so every number pairs a round with the proposer's id. ` +
        `And where the demo stopped ("liveness may stall"), a real proposer tries again.`,
      { label: "seed-differences" },
    );
    sim.note(
      `Why stop at ${promisedBy.length}? A majority is ${need} of ${sim.nodeIds.length} because any two majorities share at least one acceptor, and that shared acceptor is how a later proposer finds out about a value that may already be chosen. ` +
        `With only ${promisedBy.length} promises the proposer has no such guarantee: the acceptors it did not hear from might have promised, or accepted, something else. Waiting is safe; going ahead is not.`,
      { label: "why" },
    );
    if (!failed) return asRun(finishStory(sim, `Round 1 did not fail as expected with seed ${seed}; see the trace.`));

    sim.heading("Round 2: the link works again; retry with a higher number");
    sim.apply({ type: "heal", from: LOST, to: PROPOSER });
    sim.runUntil(() => (inspect(sim, PROPOSER)?.proposer.ballot?.round ?? 0) > (first?.proposer.ballot?.round ?? 0), { timeout: 2000 });
    const second = inspect(sim, PROPOSER)?.proposer.ballot;
    sim.note(`After a random wait (backoff), proposer ${PROPOSER} starts round 2 with n=${formatBallot(second)}, above every number it has used or seen refused.`, { label: "round-2" });
    sim.runUntil(() => inspect(sim, PROPOSER)?.learned !== undefined, { timeout: 2000 });
    const chosenAt = inspect(sim, PROPOSER);
    const acceptedBy = sim.nodeIds.filter((id) => inspect(sim, id)?.acceptor.accepted?.v === chosenAt?.learned);
    if (chosenAt?.learned !== undefined) sim.note(`'${chosenAt.learned}' is chosen at n=${formatBallot(chosenAt.proposer.ballot)}: acceptors ${acceptedBy.join(", ")} accepted it, a majority.`, { label: "chosen" });
    sim.runFor(20);
    const last = inspect(sim, PROPOSER);
    const total = countSends(sim.trace);
    return asRun(
      finishStory(
        sim,
        last?.learned === undefined
          ? `chosen=false after ${last?.proposer.attempts ?? 0} rounds; ${total.total} messages sent.`
          : `chosen=true, value='${last.learned}' at n=${formatBallot(last.proposer.ballot)} in round ${last.proposer.attempts}; round 1 got ${promisedBy.length} of ${need} promises; ${total.total} messages sent in all.`,
      ),
    );
  },
};
