// Scenario 2: Multi-Paxos with a stable leader: phase 1 once, then phase 2 per command.

import { describeMultiPaxosEvent, finishStory, messageDelaysUntil, type MultiPaxosMessage, type MultiPaxosNode } from "@course/paxos";
import type { TraceEvent } from "@course/sim";
import type { Scenario } from "../lesson.js";
import { sessionClient } from "../04-multi-paxos/cluster.js";
import { asRun, FIVE, multiPaxosCluster, replyOf } from "./clusters.js";
import { costLine, trafficLine, type CostRow } from "./cost-row.js";
import { commandMessages, involvement } from "./measure.js";
import { quietAfterFirstAnswer } from "./quiet.js";

const LEADER = 0;
export const COMMANDS = ["x=1", "x=2", "x=3", "x=4", "x=5"];
/** Pause between commands (ms), so each is measured alone, as in a lightly loaded system. */
export const GAP = 20;

export function measureMultiPaxos(seed: number, narrate = false) {
  const sim = multiPaxosCluster(seed, { initialLeader: LEADER });
  const inspect = (n: number) => sim.node<MultiPaxosNode>(n)?.inspect();
  if (narrate) sim.heading(`Phase 1 once: node ${LEADER} becomes leader for every slot`, "phase-1");
  sim.runUntil(() => inspect(LEADER)?.role === "leader", { timeout: 2000 });
  sim.runFor(40);
  if (narrate) sim.heading(`Steady state: ${COMMANDS.length} commands, one after another`, "steady");
  const windowStart = sim.trace.length;
  const row = { messages: [] as number[], network: [] as number[], delays: [] as number[], everywhereMs: [] as number[] };
  const client = sessionClient(sim, "client");
  for (const command of COMMANDS) {
    const from = sim.trace.length;
    const startedAt = sim.now;
    const id = client.send(LEADER, command);
    sim.runUntil(() => replyOf(sim, id) !== undefined, { timeout: 2000 });
    const slot = (replyOf(sim, id)?.result as { slot?: number } | undefined)?.slot ?? -1;
    sim.runUntil(() => FIVE.every((n) => (inspect(n)?.log.length ?? 0) > slot), { timeout: 2000 });
    row.everywhereMs.push(sim.now - startedAt);
    sim.runFor(GAP);
    const caused = commandMessages(sim.trace, from, (m) => m.type === "accept" && (m as MultiPaxosMessage & { slot: number }).slot === slot);
    row.messages.push(caused.total);
    row.network.push(caused.network);
    row.delays.push(messageDelaysUntil(sim.trace, (e: TraceEvent) => e.kind === "client-reply" && e.requestId === id, from) ?? -1);
  }
  const full: CostRow = { protocol: "Multi-Paxos", ...row, hub: LEADER, traffic: involvement(sim.trace, FIVE, LEADER, windowStart) };
  return { sim, row: full };
}

export const costMultiPaxos: Scenario = {
  id: "cost-multi-paxos",
  title: "Multi-Paxos: phase 1 once, then two message delays",
  summary:
    "A distinguished leader runs phase 1 once for every future slot; after that each command is one accept from the leader and the acceptors' accepted messages. In this implementation every acceptor tells every learner, so all replicas learn a command at the same moment, at the price of many messages.",
  protocol: "multi-paxos",
  defaultSeed: 1,
  describe: quietAfterFirstAnswer(describeMultiPaxosEvent),
  run({ seed }) {
    const { sim, row } = measureMultiPaxos(seed, true);
    sim.heading("The bill", "bill");
    sim.note(
      `Each command: one accept to each of the 5 acceptors (the leader's own included), then each acceptor's accepted to all 5 learners: ${row.messages.join("/")} messages, ${row.network.join("/")} over the network. ` +
        `${row.delays.join("/")} message delays from request to answer: phase 1 is skipped because the leader's promises already cover every slot.`,
      { label: "messages" },
    );
    sim.note(
      `Because every acceptor sends its accepted to every learner, each replica learns that a command is chosen from the acceptors themselves, without waiting for the leader to tell it: every replica had applied it ${row.everywhereMs.map((ms) => Math.round(ms)).join("/")} ms after the request.`,
      { label: "learners" },
    );
    sim.note(trafficLine(row), { label: "traffic" });
    return asRun(finishStory(sim, costLine(row)));
  },
};
