// Case 2: two proposers pre-empt each other; without backoff forever (livelock), with randomized backoff briefly.

import type { TraceEvent } from "@course/sim";
import { countSends, describePaxosEvent, finishStory } from "@course/paxos";
import type { Scenario } from "../lesson.js";
import { asRun, FIVE, inspect, learners, paxosCluster } from "./cluster.js";

const RIVALS = [1, 3] as const;
/** How long the story watches the duel (ms). */
const WATCH = 150;
/** After this, messages are no longer narrated one by one: the pattern repeats and the notes tell the rest. */
const QUIET_AFTER = 40;

export const duelingProposers: Scenario = {
  id: "dueling-proposers",
  title: "Dueling proposers: livelock, and the fix",
  summary:
    "Proposers 1 and 3 start together. Each prepare lands just before the rival's accept, so each accept is refused. With the liveness fix (random, growing backoff) one proposer steps back and a value is chosen; switch the fix off to watch them pre-empt each other for as long as you care to wait.",
  protocol: "paxos",
  defaultSeed: 1,
  variants: { "no-backoff": "no backoff: a proposer that sees a higher number jumps straight above it, so the two pre-empt each other forever" },
  describe(e: TraceEvent) {
    if (e.time > QUIET_AFTER && (e.kind === "send" || e.kind === "drop")) return undefined;
    return describePaxosEvent(e);
  },
  run({ seed, variant }) {
    const backoff = variant !== "no-backoff";
    // Equal, fixed latencies make the race exact: every round ends in the same tie.
    const sim = paxosCluster(seed, { node: { backoff }, network: { latency: { kind: "fixed", ms: 5 } } });
    sim.heading(`Case 2: dueling proposers (${backoff ? "with randomized backoff" : "no backoff"})`, "case-2-dueling");
    sim.note(
      backoff
        ? "Both proposers start at once. A refused proposer waits a random time, longer after each failure, before it tries again."
        : "Both proposers start at once. A proposer that sees a higher number than its own starts again at once, just above it.",
    );
    sim.request(RIVALS[0], "a");
    sim.request(RIVALS[1], "b");
    const decided = sim.runUntil(() => learners(sim).length > 0, { timeout: WATCH });
    if (decided) sim.runFor(30);
    else sim.runUntilTime(WATCH);
    const prepares = (node: number) => countPrepares(sim.trace, node);
    const highest = Math.max(...RIVALS.map((id) => inspect(sim, id)?.proposer.ballot?.round ?? 0));
    const chosenBy = learners(sim);
    const value = chosenBy.length > 0 ? inspect(sim, chosenBy[0] as number)?.learned : undefined;
    const rounds = RIVALS.map((id) => `${id} started ${prepares(id)}`).join(", proposer ");
    if (value === undefined) {
      sim.note(
        "Each new prepare reaches the acceptors before the rival's accept, so every accept is refused and neither proposer ever finishes. Paxos stays safe (nothing wrong is chosen) but makes no progress: this is the livelock that randomized backoff, or a single distinguished proposer, prevents.",
        { label: "livelock" },
      );
    } else {
      sim.note(
        "Backoff broke the symmetry: while one proposer waited, the other finished both phases. The waiting proposer then learned the chosen value rather than fighting it.",
        { label: "fix" },
      );
    }
    const total = countSends(sim.trace).total;
    return asRun(
      finishStory(
        sim,
        value === undefined
          ? `no value chosen after ${sim.now} ms: proposer ${rounds} rounds, up to n=${highest}.x; ${total} messages sent.`
          : `'${value}' chosen after ${firstLearnTime(sim.trace)} ms; proposer ${rounds} round(s); learned by ${chosenBy.length} of ${FIVE.length}; ${total} messages sent.`,
      ),
    );
  },
};

/** Rounds a proposer started: its prepares to itself. */
function countPrepares(trace: readonly TraceEvent[], node: number): number {
  return trace.filter((e) => e.kind === "send" && e.from === node && e.to === node && e.msg.type === "prepare").length;
}

function firstLearnTime(trace: readonly TraceEvent[]): number {
  const e = trace.find((x) => x.kind === "state" && (x.view as { learned?: unknown }).learned != null);
  return Math.round(e?.time ?? 0);
}


