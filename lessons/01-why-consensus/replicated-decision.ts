// Lesson 1, part three: the same transaction with its decision replicated by Paxos; the coordinator dies, nobody waits for it.

import { Simulation, type TraceEvent } from "@course/sim";
import { createTwoPcNode, describeTwoPcEvent, type TwoPcMessage, type TwoPcNode } from "@course/twopc";
import { countSends, describeFaultEvent, finishStory, formatBallot, majority } from "@course/paxos";
import { twoPcChecker } from "@course/check";
import type { Scenario } from "../lesson.js";
import { asRun } from "../03-paxos-failures/cluster.js";
import { COORDINATOR, NODES, PARTICIPANTS, TXN } from "./transaction.js";

/** How long the first in-doubt participant waits before it asks the acceptors itself (ms). */
const RECOVERY_TIMEOUT = 300;

type Send = Extract<TraceEvent, { kind: "send" }>;
const paxosSends = (trace: readonly TraceEvent[], type: string, from?: number): Send[] =>
  trace.filter((e): e is Send => e.kind === "send" && e.msg.type === type && (from === undefined || e.from === from));

export const replicatedDecision: Scenario = {
  id: "replicated-decision",
  title: "The decision replicated with Paxos: nobody waits for the coordinator",
  summary:
    "The same transaction, the same YES votes, the same rule (commit only if all four say YES). But the coordinator does not keep its decision to itself: before telling anyone, it asks the five nodes' acceptors to accept COMMIT, as a Basic Paxos round. It crashes right after sending that request. COMMIT is chosen anyway, and an in-doubt participant recovers it by running a Paxos round of its own, while the coordinator is still down.",
  protocol: "2pc",
  defaultSeed: 1,
  describe(e: TraceEvent) {
    if (e.kind === "drop" && e.msg.type === "status-query") return undefined;
    return describeTwoPcEvent(e, COORDINATOR) ?? describeFaultEvent(e);
  },
  run({ seed }) {
    const sim = new Simulation<TwoPcMessage>({
      seed,
      nodes: NODES,
      createNode: createTwoPcNode({ coordinator: COORDINATOR, retryInterval: 250, replicateDecision: { recoveryTimeout: RECOVERY_TIMEOUT } }),
      hooks: [twoPcChecker()],
      record: true,
    });
    const view = (id: number) => sim.node<TwoPcNode>(id)?.inspect();
    const txnState = (id: number) => view(id)?.txns[TXN];

    sim.heading(`Phase 1, as before: coordinator ${COORDINATOR} asks participants ${PARTICIPANTS.join(", ")} to prepare ${TXN}`, "prepare");
    sim.note(`Every node also runs a Paxos acceptor for ${TXN}'s decision. Any ${majority(NODES.length)} of the ${NODES.length} acceptors can keep it, so no single node holds the only copy.`);
    sim.request(COORDINATOR, TXN);
    sim.runUntil(() => PARTICIPANTS.every((id) => txnState(id) === "prepared"), { timeout: 1000 });
    const lastYes = sim.now;

    sim.heading("Phase 2: the decision goes to the acceptors before anyone hears it");
    sim.runUntil(() => paxosSends(sim.trace, "paxos-accept", COORDINATOR).length > 0, { timeout: 1000 });
    const crashAt = sim.now;
    sim.apply({ type: "crash", node: COORDINATOR });
    const proposal = paxosSends(sim.trace, "paxos-accept", COORDINATOR)[0]?.msg as { n: { round: number; node: number }; v: string } | undefined;
    sim.note(`Coordinator ${COORDINATOR} crashed right after sending accept(n=${formatBallot(proposal?.n)}, ${proposal?.v.toUpperCase()}) to the acceptors. It told no participant anything.`, { label: "crash" });
    const acceptedCommit = () => NODES.filter((id) => view(id)?.acceptors?.[TXN]?.accepted?.v === "commit");
    sim.runUntil(() => acceptedCommit().length >= majority(NODES.length), { timeout: 1000 });
    sim.note(
      `COMMIT is chosen: acceptors ${acceptedCommit().join(", ")} have accepted it, a majority. Nobody knows it yet: the coordinator that would have counted their answers is down, and each acceptor knows only its own vote.`,
      { label: "chosen-unknown" },
    );

    sim.heading("Recovery: an in-doubt participant asks the acceptors");
    sim.runUntil(() => paxosSends(sim.trace, "paxos-prepare").some((e) => e.from !== COORDINATOR), { timeout: 5 * RECOVERY_TIMEOUT });
    const recoverer = paxosSends(sim.trace, "paxos-prepare").find((e) => e.from !== COORDINATOR);
    const recoveryBallot = (recoverer?.msg as { n?: { round: number; node: number } } | undefined)?.n;
    sim.note(
      `Participant ${recoverer?.from} proposes ABORT for ${TXN} with n=${formatBallot(recoveryBallot)}, above the coordinator's n=${formatBallot(proposal?.n)}. If nothing had been chosen, ABORT would be safe: once a majority has promised n=${formatBallot(recoveryBallot)}, nothing numbered n=${formatBallot(proposal?.n)} can be chosen any more.`,
      { label: "recovery" },
    );
    sim.runUntil(() => paxosSends(sim.trace, "paxos-accept", recoverer?.from).length > 0, { timeout: 1000 });
    const adopted = (paxosSends(sim.trace, "paxos-accept", recoverer?.from)[0]?.msg as { v?: string } | undefined)?.v;
    sim.note(
      `Participant ${recoverer?.from} asks the acceptors to accept ${adopted?.toUpperCase()}, not ABORT: its promises reported ${adopted?.toUpperCase()} accepted at n=${formatBallot(proposal?.n)}, and Paxos never replaces a value that may be chosen (lesson 2's value rule).`,
      { label: "adopt" },
    );
    sim.runUntil(() => PARTICIPANTS.every((id) => txnState(id) === "committed" || txnState(id) === "aborted"), { timeout: 2000 });
    const finished = sim.now;
    const outcome = PARTICIPANTS.map((id) => txnState(id));
    const committed = outcome.filter((s) => s === "committed").length;
    sim.note(
      `${committed} of ${PARTICIPANTS.length} participants have committed ${TXN}, ${Math.round(finished - crashAt)} ms after the coordinator crashed; it is ${sim.isUp(COORDINATOR) ? "up" : "still down"}. What they waited for was their own recovery time-out, not the coordinator.`,
      { label: "finished" },
    );
    sim.runFor(30);
    const sends = countSends(sim.trace);
    const paxosMessages = Object.entries(sends.byType).filter(([type]) => type.startsWith("paxos-")).reduce((sum, [, n]) => sum + n, 0);
    return asRun(
      finishStory(
        sim,
        `${TXN} ${committed === PARTICIPANTS.length ? "committed" : outcome.join("/")} at ${committed} of ${PARTICIPANTS.length} participants while the coordinator stayed down; in doubt for ${Math.round(finished - lastYes)} ms (from the last YES vote to the last commit); ${sends.total} messages sent, ${paxosMessages} of them for the decision's Paxos rounds.`,
      ),
    );
  },
};
