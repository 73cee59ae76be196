// Scenario 4: three clients keep working through a random schedule of crashes, pauses and partitions; the checker judges it all.

import { randomFaults, Rng, type ScheduledFault, type TraceEvent } from "@course/sim";
import { finishStory, leaderOf, type LogEntry } from "@course/raft";
import type { Scenario } from "../lesson.js";
import { KvClient, perform, type KvCall, type KvOp } from "./client.js";
import { FIVE, kvCluster } from "./cluster.js";
import { checkHistory } from "./history.js";
import { kvDescriber } from "./narrate.js";

const FAULTS_FROM = 100;
const FAULTS_UNTIL = 2500;
const KEYS = ["x", "y"];

/** Faults per simulated second, by kind: enough that several leaders fall during the run. */
function stormSchedule(seed: number): ScheduledFault[] {
  return randomFaults({ seed, nodes: FIVE, start: FAULTS_FROM, end: FAULTS_UNTIL, rates: { crash: 1.2, pause: 0.6, partition: 1 }, duration: { min: 150, max: 700 } });
}

/** Only what shapes the story: faults, new leaders, and retries. Everything else would be hundreds of lines. */
function stormDescriber(): (e: TraceEvent) => string | undefined {
  const kv = kvDescriber();
  let retried = new Set<string>();
  let attemptOf = new Map<number, string>();
  let lastSeq = -1;
  return (e) => {
    if (e.seq <= lastSeq) {
      retried = new Set();
      attemptOf = new Map();
    }
    lastSeq = e.seq;
    if (e.kind === "client-reply" && (e.result as { ok?: boolean }).ok) retried.delete(attemptOf.get(e.requestId) ?? "");
    const line = kv(e);
    if (line === undefined) return undefined;
    switch (e.kind) {
      case "crash":
      case "restart":
      case "pause":
      case "resume":
      case "partition":
      case "isolate":
      case "heal":
        return line;
      case "state":
        return line.includes("is the leader") ? line.replace(/;.*$/, "") : undefined;
      case "client-request": {
        // The first retry of an operation is worth a line; the ones after it only repeat it.
        const key = `${e.request.client}:${JSON.stringify(e.request.op)}`;
        attemptOf.set(e.request.id, key);
        if (!line.includes("retries") || retried.has(key)) return undefined;
        retried.add(key);
        return `${line} (and again until it gets an answer)`;
      }
      default:
        return undefined;
    }
  };
}

/** Log entries that repeat an earlier entry's (client, command number): retries the session table answered from memory. */
function duplicates(log: readonly LogEntry[]): number {
  const seen = new Set<string>();
  let repeats = 0;
  for (const e of log) {
    if (e.command.kind !== "client" || e.command.seq === undefined) continue;
    const key = `${e.command.client}#${e.command.seq}`;
    if (seen.has(key)) repeats++;
    seen.add(key);
  }
  return repeats;
}

export const storm: Scenario = {
  id: "storm",
  title: "A storm of faults, and the checker's verdict",
  summary:
    "Three clients append unique tokens to two keys and read them back, one operation each at a time, while a random but reproducible schedule crashes, pauses and partitions servers for over two seconds. Leaders fall and are replaced; clients time out and retry. At the end every operation the clients saw goes to the linearizability checker.",
  protocol: "raft",
  defaultSeed: 1,
  describe: stormDescriber(),
  run({ seed }) {
    const faults = stormSchedule(seed);
    const sim = kvCluster(seed, {}, faults);
    const workload = new Rng(seed).fork("workload");
    const clients = ["c1", "c2", "c3"].map((name, i) => new KvClient(name, FIVE, { firstGuess: (i * 2) % FIVE.length }));
    const counters = new Map(clients.map((c) => [c.name, 0]));
    const nextOp = (client: KvClient): KvOp => {
      const key = workload.pick(KEYS);
      if (workload.chance(0.4)) return { type: "get", key };
      const n = (counters.get(client.name) ?? 0) + 1;
      counters.set(client.name, n);
      return { type: "append", key, value: `${client.name}.${n};` };
    };
    sim.heading(`${faults.length} faults between ${FAULTS_FROM} and ${FAULTS_UNTIL} ms; three clients keep working`);
    const calls: KvCall[] = [];
    while (sim.now < FAULTS_UNTIL + 200 && !sim.stopped) calls.push(...perform(sim, clients.map((c) => [c, nextOp(c)] as const), 1500));
    sim.heading("The storm is over: everything heals; each client reads both keys");
    sim.runFor(300);
    for (const key of KEYS) calls.push(...perform(sim, clients.map((c) => [c, { type: "get", key }] as const)));
    sim.runFor(200);
    const leader = leaderOf(sim);
    const answered = calls.filter((c) => c.result?.ok === true).length;
    const retries = calls.reduce((n, c) => n + Math.max(0, c.requestIds.length - 1), 0);
    const terms = leader?.currentTerm ?? 0;
    const repeats = duplicates(leader?.log.all() ?? []);
    const verdict = checkHistory(sim, calls);
    const tokens = (key: string) => (leader?.kv.get(key) ?? "").split(";").length - 1;
    sim.note(
      `${calls.length} client operations, ${answered} answered; ${retries} attempts were retries after a refusal or a silence. Leadership changed hands up to term ${terms}. ` +
        `${repeats} log entr${repeats === 1 ? "y repeats" : "ies repeat"} a command already in the log (a retry of a write whose first attempt had in fact got through); the session table answered ${repeats === 1 ? "it" : "them"} without executing again.`,
      { label: "tally" },
    );
    sim.note(`Linearizability check: ${verdict.text}.`, { label: "verdict" });
    return finishStory(sim, `${calls.length} operations (${answered} answered, ${retries} retries) through ${faults.length} faults, ${terms} terms; ${repeats} duplicate command(s) absorbed by sessions; x holds ${tokens("x")} appends and y ${tokens("y")}; history ${verdict.text}.`);
  },
};
