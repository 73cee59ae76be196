// Dueling candidates in Multi-Paxos: without the election fix they pre-empt each other forever; with it one leads.

import type { TraceEvent } from "@course/sim";
import { countSends, describeMultiPaxosEvent, finishStory, formatBallot } from "@course/paxos";
import type { Scenario } from "../lesson.js";
import { asRun, FIVE, inspect, leaderOf, multiCluster } from "./cluster.js";

const WATCH = 220;
/** Messages of later rounds are not narrated one by one: the pattern repeats and the nodes' notes tell the rest. */
const NARRATED_ROUNDS = 2;

export const duelingLeaders: Scenario = {
  id: "dueling-leaders",
  title: "Dueling leaders: livelock, and the election rule that ends it",
  summary:
    "No leader at start. With the fix, election timeouts are random and a refused candidate steps back, so one node wins. Without it every node times out at the same moment and jumps above any higher number it sees: nobody ever leads.",
  protocol: "multi-paxos",
  defaultSeed: 1,
  variants: { "no-election-fix": "equal election timeouts, and a candidate that sees a higher number campaigns again at once" },
  describe(e: TraceEvent) {
    if ((e.kind === "send" || e.kind === "drop") && ((e.msg as { n?: { round: number } }).n?.round ?? 0) > NARRATED_ROUNDS) return undefined;
    return describeMultiPaxosEvent(e);
  },
  run({ seed, variant }) {
    const fix = variant !== "no-election-fix";
    const sim = multiCluster(seed, { node: { electionFix: fix }, network: { latency: { kind: "fixed", ms: 5 } } });
    sim.heading(`Electing a leader ${fix ? "with randomized timeouts" : "without the election fix"}`, "dueling-leaders");
    sim.runUntil(() => leaderOf(sim) !== undefined, { timeout: WATCH });
    const leader = leaderOf(sim);
    const campaigns = sim.trace.filter((e) => e.kind === "send" && e.from === e.to && e.msg.type === "prepare").length;
    const highest = Math.max(...FIVE.map((id) => inspect(sim, id)?.acceptor.promised?.round ?? 0));
    if (leader === undefined) {
      sim.note("Every campaign is overtaken by a higher one before its phase 1 completes. Safe, but no command can ever be proposed.", { label: "livelock" });
    } else {
      sim.runFor(40);
      sim.note("The first node whose random timeout expired finished phase 1 before anyone else woke up; its heartbeats keep the others from campaigning.", { label: "fix" });
    }
    return asRun(
      finishStory(
        sim,
        leader === undefined
          ? `no leader after ${Math.round(sim.now)} ms: ${campaigns} campaigns, numbers up to round ${highest}; ${countSends(sim.trace).total} messages sent.`
          : `node ${leader} leads with n=${formatBallot(inspect(sim, leader)?.ballot)} after ${campaigns} campaign${campaigns === 1 ? "" : "s"}, ${Math.round(sim.trace.find((e) => e.kind === "note" && e.text.includes("is leader"))?.time ?? 0)} ms in; ${countSends(sim.trace).total} messages sent.`,
      ),
    );
  },
};
