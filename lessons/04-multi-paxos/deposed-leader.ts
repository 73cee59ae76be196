// A deposed leader hands its unanswered command to the next leader, which also re-proposes it: chosen twice, executed once.

import { commandId, countSends, describeMultiPaxosEvent, finishStory, headingBefore, multiPaxosMutants, type ClientCommand, type MAccept, type MultiPaxosMessage } from "@course/paxos";
import type { TraceEvent } from "@course/sim";
import type { Scenario } from "../lesson.js";
import { asRun, FIVE, inspect, leaderOf, multiCluster, replyTo, sessionClient } from "./cluster.js";

const OLD = 0;
/** The node with the shortest election timeout, so that it alone takes over. */
const NEXT = 2;
const CUT_OFF = [2, 3, 4];
const B: ClientCommand = { client: "alice", seq: 2, op: "b" };

type SendEvent = Extract<TraceEvent, { kind: "send" }>;

/** The accepts (one per proposal) or forwards that node `from` sent carrying alice's 'b'. */
export function sendsOfB(trace: readonly TraceEvent[], from: number, type: "accept" | "forward"): SendEvent[] {
  return trace.filter((e): e is SendEvent => {
    if (e.kind !== "send" || e.from !== from || e.msg.type !== type) return false;
    const msg = e.msg as MultiPaxosMessage;
    const carried = msg.type === "accept" ? msg.v : msg.type === "forward" ? msg.command : null;
    // An accept goes to every acceptor: count the copy to itself only, once per proposal.
    return carried !== null && commandId(carried) === commandId(B) && (type === "forward" || e.to === from);
  });
}

export const deposedLeader: Scenario = {
  id: "deposed-leader",
  title: "A deposed leader's command: chosen in two slots, executed once",
  summary:
    "Node 0's accept for alice's 'b' reaches only acceptors 0 and 1. Node 2 takes over; its phase 1 finds 'b' in slot 1 and proposes it again. Node 0, deposed, hands 'b' to node 2 as a command still waiting for its answer, and node 2 proposes it in slot 2 as well. Both slots choose 'b', yet every replica executes it once: the copy carries alice's name and the same command number. In the broken variant the replicas execute every copy and the checker stops the run.",
  protocol: "multi-paxos",
  defaultSeed: 1,
  variants: { "no-sessions": multiPaxosMutants.executeEveryCopy.description },
  describe: describeMultiPaxosEvent,
  run({ seed, variant }) {
    const sim = multiCluster(seed, {
      node: { initialLeader: OLD, ...(variant === "no-sessions" ? { rules: multiPaxosMutants.executeEveryCopy.rules } : {}) },
      nodeOptions: (id) => (id === NEXT ? { electionTimeout: 60 } : {}),
      network: { latency: { kind: "fixed", ms: 5 } },
    });
    const alice = sessionClient(sim, B.client);
    sim.heading("Node 0 leads and commits alice's 'a'", "steady");
    sim.runUntil(() => leaderOf(sim) === OLD, { timeout: 1000 });
    const a = alice.send(OLD, "a");
    sim.runUntil(() => replyTo(sim.trace, a) !== undefined, { timeout: 1000 });
    sim.runFor(10);

    sim.heading("Node 0's links to nodes 2, 3 and 4 fail: its accept for 'b' reaches acceptors 0 and 1 only", "cut");
    for (const to of CUT_OFF) sim.apply({ type: "cut", from: OLD, to });
    const b = alice.send(OLD, B.op);
    sim.note("Node 0 still believes it leads and keeps sending the accept for slot 1, but only acceptors 0 and 1 receive it: two of the three needed. Nodes 2, 3 and 4 hear no heartbeat.");
    headingBefore(sim, () => inspect(sim, NEXT)?.role !== "follower", "Node 2's election timeout expires first: phase 1 for every slot from 1 on", "takeover", 2000);
    sim.runUntil(() => inspect(sim, NEXT)?.role === "leader" || sim.stopped, { timeout: 1000 });
    sim.apply({ type: "heal" });

    sim.heading("Node 2 leads and proposes 'b' again in slot 1; the network heals", "copies");
    sim.runUntil(() => sim.stopped || (FIVE.every((id) => (inspect(sim, id)?.log.length ?? 0) >= 3) && replyTo(sim.trace, b) !== undefined), { timeout: 1000 });
    sim.runFor(20);
    if (sim.violation) return asRun(finishStory(sim, `the checker stopped the run: ${sim.violation.checker}: ${sim.violation.message}.`));

    const log = inspect(sim, NEXT)?.log ?? [];
    const slots = log.flatMap((c, slot) => (c !== null && commandId(c) === commandId(B) ? [slot] : []));
    const executedIn = FIVE.map((id) => (inspect(sim, id)?.executed ?? []).filter((slot) => slots.includes(slot)));
    const once = executedIn.every((e) => e.length === 1 && e[0] === slots[0]);
    const reply = replyTo(sim.trace, b);
    const answer = reply?.kind === "client-reply" ? (reply.result as { slot?: number }).slot : undefined;
    const reproposed = sendsOfB(sim.trace, NEXT, "accept").map((e) => (e.msg as MAccept).slot);
    const forwarded = sendsOfB(sim.trace, OLD, "forward").length > 0;
    if (slots.length > 1) {
      sim.note(
        `'b' (alice's #2) is chosen in slots ${slots.join(" and ")}. Node 2 proposed it in slot ${reproposed[0]} because acceptor 1's promise reported it there, ` +
          `and ${forwarded ? "again in a new slot when node 0, deposed, forwarded it as a command still waiting for its answer" : "again in a new slot"}. ` +
          `${once ? `Every replica executed it once, in slot ${slots[0]}, and skipped the copy: both carry alice's name and number 2, and her session shows that number has run.` : "The replicas did not each execute it exactly once."}`,
        { label: "executed-once" },
      );
    } else {
      sim.note(`This time 'b' was chosen in one slot only (${slots.join(", ") || "none"}): node 0's forwarded copy was answered from node 2's session before it needed a slot.`, { label: "executed-once" });
    }
    sim.note(`alice gets one answer, slot ${answer ?? "?"}: the result of the first execution.`, { label: "answer" });
    return asRun(
      finishStory(
        sim,
        `'b' chosen in slot${slots.length > 1 ? "s" : ""} ${slots.join(" and ")}; executed ${once ? "once" : "not exactly once"} on each of ${FIVE.length} replicas (slot ${slots[0] ?? "?"}); alice answered with slot ${answer ?? "?"}; ${countSends(sim.trace).total} messages sent.`,
      ),
    );
  },
};
