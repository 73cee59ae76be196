// Scenario 1: what one command costs in Basic Paxos: a whole instance, both phases, every time.

import { countSends, describePaxosEvent, type BasicPaxosNode } from "@course/paxos";
import { finishStory, messageDelaysUntil } from "@course/paxos";
import type { Scenario } from "../lesson.js";
import { asRun, basicPaxosCluster, FIVE, replyOf } from "./clusters.js";
import { costLine, trafficLine, type CostRow } from "./cost-row.js";
import { commandMessages, involvement } from "./measure.js";

const PROPOSER = 0;

/** Runs one Basic Paxos instance for one command and measures it; headings and notes only when narrating. */
export function measureBasicPaxos(seed: number, narrate = false) {
  const sim = basicPaxosCluster(seed);
  if (narrate) sim.heading(`One command, one instance: proposer ${PROPOSER} gets 'x=1' chosen`, "instance");
  const from = sim.trace.length;
  const startedAt = sim.now;
  const id = sim.request(PROPOSER, "x=1");
  sim.runUntil(() => replyOf(sim, id) !== undefined, { timeout: 2000 });
  const learnedEverywhere = () => FIVE.every((n) => sim.node<BasicPaxosNode>(n)?.inspect().learned !== undefined);
  sim.runUntil(learnedEverywhere, { timeout: 2000 });
  const everywhereAt = sim.now;
  sim.runFor(20);
  const caused = commandMessages(sim.trace, from, () => true);
  const row: CostRow = {
    protocol: "Basic Paxos",
    messages: [caused.total],
    network: [caused.network],
    delays: [messageDelaysUntil(sim.trace, (e) => e.kind === "client-reply" && e.requestId === id, from) ?? -1],
    everywhereMs: [everywhereAt - startedAt],
    hub: PROPOSER,
    traffic: involvement(sim.trace, FIVE, PROPOSER, from),
  };
  return { sim, row, byType: countSends(sim.trace, from).byType };
}

export const costBasicPaxos: Scenario = {
  id: "cost-basic-paxos",
  title: "Basic Paxos: the price of one command",
  summary:
    "Basic Paxos agrees on one value per instance, so a log of commands needs one instance per command, and each pays for both phases: prepare/promise, then accept/accepted. Watch one instance and count.",
  protocol: "paxos",
  defaultSeed: 1,
  describe: describePaxosEvent,
  run({ seed }) {
    const { sim, row, byType } = measureBasicPaxos(seed, true);
    sim.heading("The bill", "bill");
    sim.note(
      `Messages: ${Object.entries(byType).map(([t, n]) => `${n} ${t}`).join(", ")}. Every node is an acceptor and a learner, so the proposer also sends to itself, and each acceptor tells all five learners: ${row.messages[0]} messages in all, ${row.network[0]} of them over the network.`,
      { label: "messages" },
    );
    sim.note(
      `${row.delays[0]} message delays from request to answer: prepare, promise, accept, accepted. The next command starts a new instance and pays all of it again: nothing learned in phase 1 here carries over.`,
      { label: "delays" },
    );
    sim.note(trafficLine(row), { label: "traffic" });
    return asRun(finishStory(sim, costLine(row)));
  },
};
