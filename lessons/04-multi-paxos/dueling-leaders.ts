// Dueling candidates in Multi-Paxos: they pre-empt each other; with the election fix the duel ends, without it never.

import type { TraceEvent } from "@course/sim";
import { countSends, describeMultiPaxosEvent, finishStory, formatBallot } from "@course/paxos";
import type { Scenario } from "../lesson.js";
import { longestPreemptedStreak, proposerRounds, type ProposerRound } from "../03-paxos-failures/rounds.js";
import { asRun, FIVE, inspect, leaderOf, multiCluster } from "./cluster.js";

/** How long the story watches a duel that does not end (ms from the start). */
const WATCH = 220;
/** With the fix: how long a leader must go unchallenged, heard by every other node, to count as settled (ms). */
const SETTLED_FOR = 60;
/** Messages of later rounds are not narrated one by one: the pattern repeats and the nodes' notes tell the rest. */
const NARRATED_ROUNDS = 3;

/** The longest run of consecutive pre-empted rounds, in start order. */
function preemptedStreak(rounds: readonly ProposerRound[]): ProposerRound[] {
  let best: ProposerRound[] = [];
  let current: ProposerRound[] = [];
  for (const r of rounds) {
    current = r.preempted ? [...current, r] : [];
    if (current.length > best.length) best = current;
  }
  return best;
}

export const duelingLeaders: Scenario = {
  id: "dueling-leaders",
  title: "Dueling leaders: pre-empted rounds, and the election rule that ends the duel",
  summary:
    "No leader at the start, and every message takes exactly 5 ms. On this seed two election timers fire a few milliseconds apart, then a third: each new candidate's higher number reaches the acceptors before the previous one's accepts and heartbeats, which they refuse, so two rounds in a row are pre-empted. The election fix ends it: a refused candidate steps back and waits for its next random timeout, and one leader's heartbeats reach everyone first. Without the fix every node times out at the same moment and jumps above any higher number it sees: nobody ever leads.",
  protocol: "multi-paxos",
  defaultSeed: 97,
  variants: { "no-election-fix": "equal election timeouts, and a candidate that sees a higher number campaigns again at once" },
  describe(e: TraceEvent) {
    if ((e.kind === "send" || e.kind === "drop") && ((e.msg as { n?: { round: number } }).n?.round ?? 0) > NARRATED_ROUNDS) return undefined;
    return describeMultiPaxosEvent(e);
  },
  run({ seed, variant }) {
    const fix = variant !== "no-election-fix";
    const sim = multiCluster(seed, { node: { electionFix: fix }, network: { latency: { kind: "fixed", ms: 5 } } });
    sim.heading(
      fix
        ? "Electing a leader with the election fix: random timeouts, and a refused candidate steps back"
        : "Electing a leader without the election fix: equal timeouts, and a refused candidate campaigns again at once",
      "dueling-leaders",
    );
    const rounds = () => proposerRounds(sim.trace, FIVE.length);
    /** A leader every other node follows. */
    const settledLeader = () => {
      const leader = leaderOf(sim);
      return leader !== undefined && FIVE.every((id) => id === leader || (inspect(sim, id)?.role === "follower" && inspect(sim, id)?.leader === leader)) ? leader : undefined;
    };
    sim.runUntil(() => longestPreemptedStreak(rounds()) >= 2 || settledLeader() !== undefined, { timeout: WATCH });
    const duel = preemptedStreak(rounds());
    if (fix && duel.length >= 2) {
      sim.note(
        `A duel: ${duel.map((r) => `n=${formatBallot(r.ballot)} (node ${r.proposer})`).join(", then ")} pre-empted one after the other. ` +
          "Each time, another node's election timer fired before it had heard from the newer candidate, and its prepare, with a higher number, reached the acceptors first: they refused the earlier candidate's accepts and heartbeats. Safe, but no command can be chosen while it lasts.",
        { label: "duel" },
      );
    }
    let leader: number | undefined;
    if (fix) {
      // Settled: a leader that everyone follows, and that nobody challenges for a while.
      sim.runUntil(() => settledLeader() !== undefined, { timeout: 3000 });
      leader = settledLeader();
      if (leader !== undefined) {
        const since = sim.trace.length;
        sim.runFor(SETTLED_FOR);
        const challenged = sim.trace.some((e) => e.seq >= since && e.kind === "send" && e.msg.type === "prepare");
        const all = rounds();
        const preempted = all.filter((r) => r.preempted).length;
        sim.note(
          `Node ${leader} leads with n=${formatBallot(inspect(sim, leader)?.ballot)}, after ${all.length} campaign${all.length === 1 ? "" : "s"}, ${preempted} of them pre-empted. ` +
            `Every candidate that was refused stepped back to follower and waited for its next random timeout instead of campaigning again at once, and node ${leader}'s heartbeats reached every other node before another timer fired` +
            `${challenged ? "" : `; for the ${SETTLED_FOR} ms watched since, nobody campaigned`}. Random timeouts make a long duel unlikely, but promise no bound on its length.`,
          { label: "fix" },
        );
      }
    } else {
      sim.runUntilTime(WATCH);
      sim.note("Every campaign is overtaken by a higher one before its phase 1 completes. Safe, but no command can ever be proposed.", { label: "livelock" });
    }
    const all = rounds();
    const campaigns = all.length;
    const highest = Math.max(...FIVE.map((id) => inspect(sim, id)?.acceptor.promised?.round ?? 0));
    return asRun(
      finishStory(
        sim,
        leader === undefined
          ? `no leader after ${Math.round(sim.now)} ms: ${campaigns} campaigns, numbers up to round ${highest}, the longest run of pre-empted rounds ${longestPreemptedStreak(all)}; ${countSends(sim.trace).total} messages sent.`
          : `node ${leader} leads with n=${formatBallot(inspect(sim, leader)?.ballot)} after ${campaigns} campaigns, ${longestPreemptedStreak(all)} pre-empted in a row; every node followed it ${Math.round(sim.now - SETTLED_FOR)} ms in; ${countSends(sim.trace).total} messages sent.`,
      ),
    );
  },
};
