// Lesson 1, part one: two-phase commit, a coordinator that crashes after the YES votes, and participants stuck in doubt.

import { Simulation, type Message, type TraceEvent } from "@course/sim";
import { createTwoPcNode, describeTwoPcEvent, twoPcMutants, type TwoPcMessage, type TwoPcNode } from "@course/twopc";
import { checkpoint, countSends, describeFaultEvent, finishStory, headingBefore } from "@course/paxos";
import { twoPcChecker } from "@course/check";
import type { Scenario } from "../lesson.js";
import { asRun } from "../03-paxos-failures/cluster.js";
import { COORDINATOR, NODES, PARTICIPANTS, TXN, repeatedDecisions } from "./transaction.js";

/** How long the coordinator stays down (ms). */
const DOWN_FOR = 1000;
/** The participant that restarts while the coordinator is down. */
const RESTARTER = 1;

export const twoPhaseCommitBlocks: Scenario = {
  id: "2pc-blocks",
  title: "Two-phase commit blocks when its coordinator dies",
  summary:
    "All four participants vote YES, the coordinator logs COMMIT and dies before anyone hears it. For as long as it is down, every participant is stuck: it may neither commit nor abort. When the coordinator comes back, its logged decision finishes the job.",
  protocol: "2pc",
  defaultSeed: 1,
  variants: { "abort-when-in-doubt": twoPcMutants.abortWhenInDoubt.description },
  describe(e: TraceEvent) {
    // Unanswered questions to the dead coordinator are summed up in a note instead of listed.
    if (e.kind === "drop" && e.msg.type === "status-query") return undefined;
    return describeTwoPcEvent(e, COORDINATOR) ?? describeFaultEvent(e);
  },
  run({ seed, variant }) {
    const rules = variant === "abort-when-in-doubt" ? twoPcMutants.abortWhenInDoubt.rules : undefined;
    const sim = new Simulation<TwoPcMessage>({ seed, nodes: NODES, createNode: createTwoPcNode({ coordinator: COORDINATOR, retryInterval: 250, rules }), hooks: [twoPcChecker()], record: true });
    const txnState = (id: number) => sim.node<TwoPcNode>(id)?.inspect().txns[TXN];
    const decision = () => sim.node<TwoPcNode>(COORDINATOR)?.inspect().decisions[TXN];

    sim.heading(`Phase 1: coordinator ${COORDINATOR} asks participants ${PARTICIPANTS.join(", ")} to prepare ${TXN}`, "prepare");
    sim.note(`Each participant must log "prepared" before it votes YES. The coordinator will commit only if all ${PARTICIPANTS.length} vote YES.`);
    sim.request(COORDINATOR, TXN);
    sim.runUntil(() => PARTICIPANTS.every((id) => txnState(id) === "prepared"), { timeout: 1000 });
    const lastYes = sim.now;

    headingBefore(sim, () => decision() !== undefined, "Phase 2: the coordinator decides, and dies", undefined, 1000);
    // The crash must land between logging the decision and sending it. The simulator sends a handler's messages
    // as one batch, so the demo cuts the coordinator's outgoing links first: the decision reaches its log, not the wire.
    for (const p of PARTICIPANTS) sim.apply({ type: "cut", from: COORDINATOR, to: p });
    sim.note("To crash the coordinator while its COMMIT messages are still leaving, its outgoing links are cut at this instant: the decision reaches its disk but not the network.");
    sim.runUntil(() => decision() !== undefined, { timeout: 1000 });
    sim.apply({ type: "crash", node: COORDINATOR });
    sim.apply({ type: "heal" });
    sim.note(`Coordinator ${COORDINATOR} is down with ${sim.storage(COORDINATOR).get<string>(`decision:${TXN}`)?.toUpperCase()} in its log; no participant has heard it.`, { label: "crash" });

    sim.heading("Blocked: every participant is in doubt", "blocked");
    sim.note(
      "Each participant voted YES, so it may not abort on its own: the coordinator might have committed. It may not commit either: for all it knows another participant voted NO. Asking the others does not help, since they are all in the same doubt. All it can do is ask the coordinator, again and again.",
    );
    const blockedFrom = sim.trace.length;
    sim.runFor(DOWN_FOR / 3);
    sim.apply({ type: "crash", node: RESTARTER });
    sim.runFor(50);
    sim.apply({ type: "restart", node: RESTARTER });
    if (sim.violation) return stopped(sim);
    sim.note(`Participant ${RESTARTER} crashed and restarted meanwhile. Its "prepared" record was on disk, so it is back, still in doubt.`, { label: "restart" });
    sim.runUntilTime(sim.now + DOWN_FOR - DOWN_FOR / 3 - 50);
    const queries = sim.trace.filter((e) => e.seq >= blockedFrom && e.kind === "drop" && e.msg.type === "status-query").length;
    const stillPrepared = PARTICIPANTS.filter((id) => txnState(id) === "prepared");
    // The coordinator comes back only after one more event, so that a jump to this point shows it still down.
    checkpoint(sim, `After ${DOWN_FOR} ms: ${stillPrepared.length} of ${PARTICIPANTS.length} participants still prepared, ${queries} questions lost on the dead coordinator. Any locks they hold stay held.`, "still-blocked");

    sim.heading("The coordinator recovers from its log", "recover");
    sim.apply({ type: "restart", node: COORDINATOR });
    sim.runUntil(() => sim.stopped || PARTICIPANTS.every((id) => txnState(id) === "committed" || txnState(id) === "aborted"), { timeout: 2000 });
    if (sim.violation) return stopped(sim);
    const finished = sim.now;
    sim.runFor(30);
    const twice = repeatedDecisions(sim.trace, COORDINATOR);
    if (twice.length > 0) {
      sim.note(
        `Participant${twice.length > 1 ? "s" : ""} ${twice.join(" and ")} heard COMMIT twice. On restarting, the coordinator sent the decision to everyone; it also answered the status queries that ${twice.length > 1 ? "they" : "it"} had sent just before it came back. A second COMMIT changes nothing at a participant that has committed; it only acknowledges again.`,
        { label: "twice" },
      );
    }
    const outcome = PARTICIPANTS.map((id) => txnState(id));
    const committed = outcome.filter((s) => s === "committed").length;
    const total = countSends(sim.trace).total;
    const run = finishStory(
      sim,
      `${TXN} ${committed === PARTICIPANTS.length ? "committed" : outcome.join("/")} at ${committed} of ${PARTICIPANTS.length} participants, after they were blocked for ${Math.round(finished - lastYes)} ms (from the last YES vote to the last commit); ${queries} status queries were lost on the dead coordinator meanwhile; ${total} messages sent.`,
    );
    return asRun(run);
  },
};

/** The broken variant ends here: the checker has seen a commit and an abort of the same transaction. */
function stopped(sim: Simulation<TwoPcMessage>): { sim: Simulation<Message>; result: string } {
  const run = finishStory(sim, `the checker stopped the run: ${sim.violation?.checker}: ${sim.violation?.message}. A participant that voted YES may not abort on its own: the coordinator may have committed.`);
  return asRun(run);
}
