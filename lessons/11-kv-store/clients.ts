// Scenario 1: three clients put, append and get through Raft: redirects to the leader, sessions, ReadIndex reads.

import { finishStory, waitForLeader, type RaftNode } from "@course/raft";
import type { Scenario } from "../lesson.js";
import { KvClient, formatOp, formatOutcome, perform, type KvCall, type KvOp } from "./client.js";
import { explainNoop, FIVE, kvCluster, server } from "./cluster.js";
import { checkHistory } from "./history.js";
import { kvDescriber } from "./narrate.js";

/** Three rounds; in each, every client has one operation in flight at the same time as the others. */
const ROUNDS: ReadonlyArray<ReadonlyArray<KvOp>> = [
  [{ type: "put", key: "x", value: "1" }, { type: "append", key: "list", value: "a;" }, { type: "get", key: "x" }],
  [{ type: "append", key: "list", value: "b;" }, { type: "get", key: "list" }, { type: "put", key: "x", value: "2" }],
  [{ type: "get", key: "x" }, { type: "append", key: "list", value: "c;" }, { type: "get", key: "list" }],
];

export const clientsScenario: Scenario = {
  id: "clients",
  title: "Clients, sessions and the leader",
  summary:
    "Three clients each start at a different server. Followers turn them away and name the leader; the leader puts each write in the log and answers once it is committed and applied. Reads write nothing to the log (ReadIndex): once an entry of its term is committed (its election no-op), the leader notes its commit index, confirms it still leads with one heartbeat round, and answers from its state machine once it has applied up to that index. The checker then looks for an order of all operations that explains every answer.",
  protocol: "raft",
  defaultSeed: 1,
  describe: kvDescriber(),
  run({ seed }) {
    const sim = kvCluster(seed);
    sim.heading("A leader is elected");
    const leader = waitForLeader(sim, 2000);
    // Let the first heartbeats tell every follower who leads, so a follower can name it.
    sim.runUntil(() => FIVE.every((id) => server(sim, id)?.leaderId === leader?.id), { timeout: 1000 });
    sim.note(`Node ${leader?.id ?? "?"} leads term ${leader?.currentTerm ?? "?"}. Every follower has heard from it; the clients have not: each starts with the server it happens to know.`, { label: "election" });
    if (leader !== undefined) explainNoop(sim, leader);
    const clients = [new KvClient("c1", FIVE, { firstGuess: 3 }), new KvClient("c2", FIVE, { firstGuess: 1 }), new KvClient("c3", FIVE, { firstGuess: 4 })];
    const calls: KvCall[] = [];
    const startIndex = leader?.log.lastIndex ?? 0;
    ROUNDS.forEach((ops, round) => {
      sim.heading(`Round ${round + 1}: ${ops.map((op, i) => `${clients[i]?.name} ${formatOp(op)}`).join(", ")}`);
      const done = perform(sim, ops.map((op, i) => [clients[i] as KvClient, op] as const));
      calls.push(...done);
      sim.note(done.map((c) => `${c.client}: ${formatOp(c.op)} -> ${formatOutcome(c)}`).join("; "), { label: `answers-${round + 1}` });
      if (round === 0) {
        const redirected = done.filter((c) => c.requestIds.length > 1).map((c) => c.client);
        sim.note(
          `${redirected.length > 0 ? `${listWords(redirected)} first reached a follower, which named the leader.` : "Every client happened to reach the leader."} Only the leader takes commands: followers hold copies of its log but must not answer on their own.`,
        );
      }
    });
    sim.runFor(60);
    const lead = server(sim, leader?.id ?? 0) as RaftNode;
    const writes = calls.filter((c) => c.op.type !== "get");
    const reads = calls.filter((c) => c.op.type === "get");
    const clientEntries = lead.log.all().filter((e) => e.index > startIndex && e.command.kind === "client").length;
    const sessions = lead.kv.toJSON().sessions;
    sim.heading("What the log and the session table hold");
    sim.note(
      `${writes.length} writes became ${clientEntries} log entries; ${reads.length} reads wrote nothing to the log. The session table (part of the replicated state, so every server has it) records each client's last command number and its answer: ${Object.entries(sessions)
        .map(([c, s]) => `${c} #${s.seq}`)
        .join(", ")}. A retry of a command it already holds is answered from there instead of executed again (next scenario).`,
      { label: "sessions" },
    );
    const verdict = checkHistory(sim, calls);
    sim.note(`Linearizability check of the clients' history: ${verdict.text}.`, { label: "check" });
    const redirects = calls.reduce((n, c) => n + c.requestIds.length - 1, 0);
    const stores = FIVE.map((id) => JSON.stringify(server(sim, id)?.kv.entries() ?? null));
    return finishStory(
      sim,
      `${calls.length} operations by ${clients.length} clients, ${redirects} redirect(s); ${writes.length} writes -> ${clientEntries} log entries, ${reads.length} reads -> 0; final x='${lead.kv.get("x") ?? ""}', list='${lead.kv.get("list") ?? ""}' on ${stores.filter((s) => s === stores[lead.id]).length} of ${FIVE.length} servers; history ${verdict.text}.`,
    );
  },
};

/** "c1", "c1 and c2", "c1, c2 and c3". */
function listWords(items: readonly string[]): string {
  return items.length <= 1 ? items.join("") : `${items.slice(0, -1).join(", ")} and ${items[items.length - 1]}`;
}
