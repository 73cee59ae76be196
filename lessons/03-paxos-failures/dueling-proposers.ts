// Case 2: two proposers pre-empt each other; randomized exponential backoff ends the duel, and without it nothing does.

import type { TraceEvent } from "@course/sim";
import { countSends, describePaxosEvent, finishStory, formatBallot } from "@course/paxos";
import type { Scenario } from "../lesson.js";
import { asRun, FIVE, inspect, learners, paxosCluster } from "./cluster.js";
import { longestPreemptedStreak, proposerRounds } from "./rounds.js";
import { DUEL_NETWORK, RIVALS, RIVAL_DELAY } from "./duel-setup.js";

/** How long the story watches a duel that does not end (ms from the start). */
const WATCH = 150;
/** After this, messages are no longer narrated one by one: the pattern repeats and the notes tell the rest. */
const QUIET_AFTER = 40;

export const duelingProposers: Scenario = {
  id: "dueling-proposers",
  title: "Dueling proposers, and randomized exponential backoff",
  summary:
    "Proposer 1 starts; 4 ms later proposer 3 starts with a higher number, while 1 is between its two phases. Every message between two nodes takes exactly 5 ms, an even network on which nothing but the proposers' own timing breaks the tie. Each prepare lands before the rival's accept, so the rival's accept is refused and it starts again higher. Here a refused proposer waits a random time whose range doubles after every failure (randomized exponential backoff): on this seed two rounds in a row are pre-empted before the random waits let one proposer finish. The no-backoff variant retries at once, and the duel never ends.",
  protocol: "paxos",
  defaultSeed: 2,
  variants: { "no-backoff": "no backoff: a proposer that sees a higher number jumps straight above it, so the two pre-empt each other forever" },
  describe(e: TraceEvent) {
    if (e.time > QUIET_AFTER && (e.kind === "send" || e.kind === "drop")) return undefined;
    return describePaxosEvent(e);
  },
  run({ seed, variant }) {
    const backoff = variant !== "no-backoff";
    const sim = paxosCluster(seed, { node: { backoff }, network: DUEL_NETWORK });
    const [first, second] = RIVALS;
    sim.heading(`Case 2: proposer ${first} starts; proposer ${second} will start ${RIVAL_DELAY} ms later (${backoff ? "randomized exponential backoff" : "no backoff"})`, "case-2-dueling");
    sim.request(first, "a");
    sim.note(
      backoff
        ? "A refused proposer waits a random time before it tries again, drawn from a range that doubles with every failure: 0-30 ms, then 0-60 ms, and so on."
        : "A proposer that sees a number higher than its own starts again at once, just above it.",
    );
    sim.runUntilTime(RIVAL_DELAY);
    sim.request(second, "b");
    const streak = () => longestPreemptedStreak(proposerRounds(sim.trace, FIVE.length));
    if (sim.runUntil(() => streak() >= 2 || learners(sim).length > 0, { timeout: WATCH }) && streak() >= 2) {
      const rounds = proposerRounds(sim.trace, FIVE.length).filter((r) => r.preempted);
      sim.note(`A duel: ${rounds.map((r) => `n=${formatBallot(r.ballot)}`).join(" and ")} pre-empted one after the other, each refused because the rival's higher prepare reached the acceptors before its accept.`, { label: "duel" });
    }
    const decided = sim.runUntil(() => learners(sim).length > 0, { timeout: Math.max(0, WATCH - sim.now) });
    if (decided) sim.runFor(30);
    else sim.runUntilTime(WATCH);
    const rounds = proposerRounds(sim.trace, FIVE.length);
    const chosenBy = learners(sim);
    const value = chosenBy.length > 0 ? inspect(sim, chosenBy[0] as number)?.learned : undefined;
    const started = RIVALS.map((id) => `${id} started ${rounds.filter((r) => r.proposer === id).length}`).join(", proposer ");
    const preempted = rounds.filter((r) => r.preempted).length;
    if (value === undefined) {
      sim.note(
        `After ${Math.round(sim.now)} ms: ${rounds.length} rounds, ${preempted} of them pre-empted, nothing chosen. Each new prepare reaches the acceptors before the rival's accept, so every accept is refused and neither proposer ever finishes. Paxos stays safe (nothing wrong is chosen) but makes no progress: a livelock.`,
        { label: "livelock" },
      );
    } else {
      const winner = rounds.find((r) => r.chosen);
      sim.note(
        `'${value}' is chosen at n=${formatBallot(winner?.ballot)} after ${preempted} pre-empted round${preempted === 1 ? "" : "s"}. Backoff broke the tie this time: the waits drawn at random let n=${formatBallot(winner?.ballot)} finish both phases before a rival prepare arrived. Randomness makes an endless duel ever less likely, but promises no bound on its length; Paxos Made Simple's own remedy is a single distinguished proposer (next scenario).`,
        { label: "fix" },
      );
    }
    const total = countSends(sim.trace).total;
    return asRun(
      finishStory(
        sim,
        value === undefined
          ? `no value chosen after ${sim.now} ms: proposer ${started} rounds, ${preempted} pre-empted, the longest run ${longestPreemptedStreak(rounds)} in a row; ${total} messages sent.`
          : `'${value}' chosen after ${firstLearnTime(sim.trace)} ms; proposer ${started} round(s); ${preempted} pre-empted, ${longestPreemptedStreak(rounds)} in a row; learned by ${chosenBy.length} of ${FIVE.length}; ${total} messages sent.`,
      ),
    );
  },
};

function firstLearnTime(trace: readonly TraceEvent[]): number {
  const e = trace.find((x) => x.kind === "state" && (x.view as { learned?: unknown }).learned != null);
  return Math.round(e?.time ?? 0);
}
