// Scenarios 6 and 7: the leader crashes; how long until a command can be committed again, in Multi-Paxos and in Raft.

import { describeMultiPaxosEvent, finishStory, type MultiPaxosNode } from "@course/paxos";
import { raftDescriber, type RaftMessage, type RaftNode } from "@course/raft";
import type { Message, Simulation } from "@course/sim";
import type { Scenario } from "../lesson.js";
import { sessionClient } from "../04-multi-paxos/cluster.js";
import { asRun, FIVE, multiPaxosCluster, raftCluster, replyOf } from "./clusters.js";
import { failoverSpreadLine, failoverSpreads } from "./distributions.js";
import { formatSpread, type Spread } from "./seeds.js";

const OLD = 0;
/** The leader serves this long before it crashes (ms). */
const SERVE = 200;

export interface FailoverResult {
  readonly protocol: string;
  readonly crashAt: number;
  /** When a surviving node first moved to take over (a campaign or a vote request). */
  readonly detectedAt: number | undefined;
  readonly leaderAt: number | undefined;
  readonly newLeader: number | undefined;
  /** When a command sent to the new leader the moment it was elected got its answer. */
  readonly committedAt: number | undefined;
  /** Campaigns started after the crash: more than one means the survivors competed. */
  readonly campaigns: number;
  /** The node that finally answered the command, and how many times the command ended up in its log. */
  readonly answeredBy: number | undefined;
  readonly copies: number;
  /** Multi-Paxos: how many times that node's state machine executed the command (its copies are skipped). */
  readonly executions?: number;
  /** For each survivor: how long its election timer had been running when the leader crashed (ms). */
  readonly timerAges: readonly number[];
}

interface Probe {
  readonly protocol: string;
  readonly sim: Simulation<Message>;
  leaderAmong(ids: readonly number[]): number | undefined;
  /** A survivor has started to take over: campaigning (Multi-Paxos) or asking for votes (Raft). */
  takingOver(): boolean;
  /** Campaigns started from trace position `fromSeq` on. */
  campaigns(fromSeq: number): number;
  /** A client's command `op` sent to `node`, as this protocol's clients send it; returns the request id. */
  submit(node: number, op: string): number;
  /** How many times `command` is in node `id`'s log. */
  copies(id: number, command: string): number;
  /** How many times node `id` executed `command`, where the protocol says (Multi-Paxos). */
  executions?(id: number, command: string): number;
}

function measureFailover(probe: Probe, narrate: boolean): FailoverResult {
  const { sim } = probe;
  const survivors = FIVE.filter((n) => n !== OLD);
  if (narrate) sim.heading(`Node ${OLD} leads and commits a command`, "before");
  sim.runUntil(() => probe.leaderAmong([OLD]) === OLD, { timeout: 2000 });
  const before = probe.submit(OLD, "x=1");
  sim.runUntil(() => replyOf(sim, before) !== undefined, { timeout: 2000 });
  sim.runUntilTime(SERVE);
  if (narrate) sim.heading(`Node ${OLD} crashes at ${SERVE} ms`, "crash");
  sim.apply({ type: "crash", node: OLD });
  const crashAt = sim.now;
  const crashSeq = sim.trace.length;
  // A follower restarts its election timer whenever it hears from the leader: its timeout runs from there.
  const timerAges = survivors.map((id) => crashAt - (sim.trace.filter((e) => e.kind === "timer-set" && e.node === id && e.name === "election").at(-1)?.time ?? 0));
  sim.runUntil(() => probe.takingOver(), { timeout: 3000 });
  const detectedAt = probe.takingOver() ? sim.now : undefined;
  sim.runUntil(() => probe.leaderAmong(survivors) !== undefined, { timeout: 3000 });
  const newLeader = probe.leaderAmong(survivors);
  const leaderAt = newLeader === undefined ? undefined : sim.now;
  let committedAt: number | undefined;
  let answeredBy: number | undefined;
  if (newLeader !== undefined) {
    if (narrate) sim.heading(`Node ${newLeader} is the first survivor to lead; a client sends it a command at once`, "after");
    const id = probe.submit(newLeader, "x=2");
    sim.runUntil(() => replyOf(sim, id) !== undefined, { timeout: 2000 });
    committedAt = replyOf(sim, id)?.at;
    const reply = sim.trace.find((e) => e.kind === "client-reply" && e.requestId === id);
    answeredBy = reply?.kind === "client-reply" ? reply.node : undefined;
  }
  sim.runFor(30);
  const copies = answeredBy === undefined ? 0 : probe.copies(answeredBy, "x=2");
  const executions = answeredBy === undefined ? undefined : probe.executions?.(answeredBy, "x=2");
  return { protocol: probe.protocol, crashAt, detectedAt, leaderAt, newLeader, committedAt, campaigns: probe.campaigns(crashSeq), answeredBy, copies, ...(executions === undefined ? {} : { executions }), timerAges };
}

export function measureMultiPaxosFailover(seed: number, narrate = false) {
  const sim = multiPaxosCluster(seed, { initialLeader: OLD });
  const inspect = (n: number) => sim.node<MultiPaxosNode>(n)?.inspect();
  const client = sessionClient(sim, "client");
  const slotsOf = (id: number, command: string) => (inspect(id)?.log ?? []).flatMap((c, slot) => (c?.op === command ? [slot] : []));
  const result = measureFailover(
    {
      protocol: "Multi-Paxos",
      sim: sim as unknown as Simulation<Message>,
      leaderAmong: (ids) => ids.find((n) => inspect(n)?.role === "leader"),
      takingOver: () => FIVE.some((n) => n !== OLD && inspect(n)?.role !== undefined && inspect(n)?.role !== "follower"),
      campaigns: (fromSeq) => sim.trace.filter((e) => e.seq >= fromSeq && e.kind === "send" && e.from === e.to && e.msg.type === "prepare").length,
      submit: (node, op) => client.send(node, op),
      copies: (id, command) => slotsOf(id, command).length,
      executions: (id, command) => (inspect(id)?.executed ?? []).filter((slot) => slotsOf(id, command).includes(slot)).length,
    },
    narrate,
  );
  return { sim, result };
}

export function measureRaftFailover(seed: number, narrate = false) {
  const sim = raftCluster(seed, { firstTimeouts: { [OLD]: 10 } });
  const node = (n: number) => sim.node<RaftNode>(n);
  const result = measureFailover(
    {
      protocol: "Raft",
      sim: sim as unknown as Simulation<Message>,
      leaderAmong: (ids) => ids.find((n) => node(n)?.role === "leader"),
      takingOver: () => FIVE.some((n) => n !== OLD && node(n) !== undefined && node(n)?.role !== "follower"),
      submit: (node, op) => sim.request(node, op),
      campaigns: (fromSeq) => new Set(sim.trace.filter((e) => e.seq >= fromSeq && e.kind === "send" && e.msg.type === "RequestVote").map((e) => (e.kind === "send" ? `${e.from}:${(e.msg as RaftMessage).term}` : ""))).size,
      copies: (id, command) => (node(id)?.log.all() ?? []).filter((e) => e.command.kind === "client" && `${e.command.op.key}=${e.command.op.value}` === command).length,
    },
    narrate,
  );
  return { sim, result };
}

const ms = (from: number, to: number | undefined) => (to === undefined ? "never" : `${Math.round(to - from)} ms`);

export function failoverLine(r: FailoverResult): string {
  return `${r.protocol}: no progress for ${ms(r.crashAt, r.committedAt)} after the crash (a survivor moved after ${ms(r.crashAt, r.detectedAt)}, node ${r.newLeader ?? "?"} led after ${ms(r.crashAt, r.leaderAt)}, the first command was answered ${ms(r.leaderAt ?? r.crashAt, r.committedAt)} later${r.answeredBy !== r.newLeader ? ` by node ${r.answeredBy ?? "?"}` : ""}; ${r.campaigns} campaign${r.campaigns === 1 ? "" : "s"})`;
}

function explain(sim: Simulation<Message>, r: FailoverResult, how: string): void {
  sim.heading("Where the time went", "breakdown");
  sim.note(
    `Detection: ${ms(r.crashAt, r.detectedAt)}. Nobody can tell a crashed leader from a slow one, so the followers wait out a timeout that must be well above the heartbeat interval. Election: ${ms(r.detectedAt ?? r.crashAt, r.leaderAt)}. ${how} First command: ${ms(r.leaderAt ?? r.crashAt, r.committedAt)}.`,
  );
  if (r.campaigns > 1) {
    sim.note(
      `${r.campaigns} campaigns, not one: another survivor's timer fired before the new leader's first messages reached it, and it took over with a higher number${r.answeredBy !== r.newLeader ? `, so node ${r.answeredBy ?? "?"}, not node ${r.newLeader ?? "?"}, answered the command` : ""}.` +
        (r.copies > 1 ? ` The command is now in the log ${r.copies} times: node ${r.answeredBy ?? "?"} found it in an open slot and proposed it again, and node ${r.newLeader ?? "?"}, stepping down, also handed it over as a command still waiting for its answer.${r.executions === undefined ? "" : ` Every copy carries the client's name and the command's number, so node ${r.answeredBy ?? "?"} recognized the later ones as duplicates: it executed the command ${r.executions === 1 ? "once" : `${r.executions} times`}.`}` : ""),
      { label: "competing-campaigns" },
    );
  }
}

export const failoverMultiPaxos: Scenario = {
  id: "failover-multi-paxos",
  title: "Leader failure in Multi-Paxos: time without progress",
  summary:
    "The leader crashes. The others notice only when its heartbeats stop for a random timeout; one runs phase 1 for every open slot, becomes leader, and can commit again. Count the milliseconds.",
  protocol: "multi-paxos",
  defaultSeed: 1,
  describe: describeMultiPaxosEvent,
  run({ seed }) {
    const { sim, result } = measureMultiPaxosFailover(seed, true);
    explain(sim as unknown as Simulation<Message>, result, "Phase 1 for all open slots: one prepare round, and any accepted values it finds are proposed again before new commands.");
    return asRun(finishStory(sim, failoverLine(result)));
  },
};

export const failoverRaft: Scenario = {
  id: "failover-raft",
  title: "Leader failure in Raft, and both side by side",
  summary:
    "The same crash in Raft: followers wait out a randomized election timeout, one asks for votes, and the winner can commit at once. Then both failovers side by side.",
  protocol: "raft",
  defaultSeed: 1,
  describe: raftDescriber(),
  run({ seed }) {
    const { sim, result } = measureRaftFailover(seed, true);
    explain(sim as unknown as Simulation<Message>, result, "One round of RequestVote; the election restriction means the winner already holds every committed entry, so there is nothing to recover first.");
    sim.heading("Side by side", "side-by-side");
    const multi = measureMultiPaxosFailover(seed).result;
    sim.note(failoverLine(multi));
    sim.note(failoverLine(result));
    const spreads = failoverSpreads();
    sim.note(failoverSpreadLine(spreads), { label: "over-seeds" });
    const ms = (s: Spread) => formatSpread(s, "ms", (x) => `${Math.round(x)}`);
    sim.note(
      `Both outages are mostly waiting. A follower cannot tell a crashed leader from a slow one, so it waits for its election timeout, drawn at random from 150-300 ms in both protocols and restarted whenever it hears from the leader. ` +
        `When the leader crashed, the survivors' timers had already been running for ${ms(spreads.multiTimerAge)} in Multi-Paxos and ${ms(spreads.raftTimerAge)} in Raft: this Multi-Paxos leader sends a heartbeat every 30 ms, Raft's every 50 ms, so Raft's timers had less left to run. ` +
        `That is where the two differ, not in the election: once a survivor had moved, the medians were ${Math.round(spreads.multiTakeover.median)} and ${Math.round(spreads.raftTakeover.median)} ms. Which protocol recovers first on one seed is mostly a matter of which timer runs out first.`,
      { label: "what-it-means" },
    );
    return finishStory(sim, `${failoverLine(multi)}; ${failoverLine(result)}.`);
  },
};
