// A stable leader: phase 1 once for every slot, then each command costs phase 2 only, two message delays.

import type { TraceEvent } from "@course/sim";
import { countSends, describeMultiPaxosEvent, finishStory, formatBallot, messageDelaysUntil, type MultiPaxosMessage } from "@course/paxos";
import type { Scenario } from "../lesson.js";
import { asRun, FIVE, inspect, leaderOf, multiCluster, replyTo, sessionClient, showLog } from "./cluster.js";

const LEADER = 0;
const COMMANDS = ["x=1", "x=2", "x=3", "x=4"];

export const steadyState: Scenario = {
  id: "steady-state",
  title: "A stable leader: two message delays per command",
  summary:
    "Node 0 runs phase 1 once, for every slot at once. After that each client command is one accept from the leader and the acceptors' accepted messages: two message delays from request to commit, instead of Basic Paxos's four.",
  protocol: "multi-paxos",
  defaultSeed: 1,
  describe(e: TraceEvent) {
    return describeMultiPaxosEvent(e);
  },
  run({ seed }) {
    const sim = multiCluster(seed, { node: { initialLeader: LEADER } });
    sim.heading("Phase 1, once: node 0 becomes leader for every slot", "phase-1");
    const phase1Start = sim.trace.length;
    sim.runUntil(() => leaderOf(sim) === LEADER, { timeout: 1000 });
    const phase1 = countSends(sim.trace, phase1Start);
    sim.heading("Steady state: phase 2 only", "steady");
    const perCommand: Array<{ command: string; slot: number | undefined; delays: number | undefined; messages: number }> = [];
    const alice = sessionClient(sim, "alice");
    for (const command of COMMANDS) {
      const from = sim.trace.length;
      const id = alice.send(LEADER, command);
      sim.runUntil(() => replyTo(sim.trace, id) !== undefined, { timeout: 1000 });
      sim.runFor(10); // let the slower acceptors' accepted messages land
      const reply = replyTo(sim.trace, id);
      const slot = reply?.kind === "client-reply" ? (reply.result as { slot?: number }).slot : undefined;
      const delays = messageDelaysUntil(sim.trace, (e) => e.kind === "client-reply" && e.requestId === id, from);
      const messages = sim.trace.filter((e) => e.seq >= from && e.kind === "send" && (e.msg as MultiPaxosMessage & { slot?: number }).slot === slot).length;
      perCommand.push({ command, slot, delays, messages });
    }
    sim.note(
      `Each command took ${perCommand.map((c) => c.delays ?? "?").join(", ")} message delays: accept out, accepted back. The leader skips phase 1 because its promise from a majority already covers every future slot, until some other node prepares a higher number.`,
      { label: "why-two" },
    );
    sim.runFor(60);
    const logs = FIVE.map((id) => showLog(inspect(sim, id)?.log));
    const agree = logs.every((l) => l === logs[0]);
    return asRun(
      finishStory(
        sim,
        `leader ${LEADER} (n=${formatBallot(inspect(sim, LEADER)?.ballot)}) paid phase 1 once (${(phase1.byType.prepare ?? 0) + (phase1.byType.promise ?? 0)} prepare/promise messages); then ${perCommand.length} commands at ${perCommand.map((c) => c.delays ?? "?").join("/")} message delays and ${perCommand.map((c) => c.messages).join("/")} messages each (accept + accepted); ${agree ? `all ${FIVE.length} logs ${logs[0]}` : `logs differ: ${logs.join(" ")}`}.`,
      ),
    );
  },
};
