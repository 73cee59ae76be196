// Each comparison of the lesson measured on seeds 1 to SEEDS: what changes with the seed, and by how much.

import { measureBasicPaxos } from "./cost-basic.js";
import { measureMultiPaxos } from "./cost-multi.js";
import { measureRaft } from "./cost-raft.js";
import { measureBasicContention } from "./contention-basic.js";
import { measureRaftContention } from "./contention-raft.js";
import { measureMultiPaxosFailover, measureRaftFailover, type FailoverResult } from "./failover.js";
import type { CostRow } from "./cost-row.js";
import { mean, percent } from "./measure.js";
import { formatSpread, overSeeds, SEEDS, spread, type Spread } from "./seeds.js";

export interface CostSpread {
  readonly protocol: string;
  /** Per run: the mean number of messages a command caused. */
  readonly messages: Spread;
  /** Per run: the mean number of those messages that went over the network (a node's messages to itself left out). */
  readonly network: Spread;
  /** Every command's message delays, over all runs. */
  readonly delays: Spread;
  /** Per run: the mean time until every replica had applied a command (ms). */
  readonly everywhereMs: Spread;
  /** Per run: the leader's share of all network messages. */
  readonly leaderShare: Spread;
  /** How many commands, over all runs, caused each number of messages. */
  readonly perCommand: ReadonlyMap<number, number>;
}

function costSpread(rows: readonly CostRow[]): CostSpread {
  return {
    protocol: rows[0]?.protocol ?? "?",
    messages: spread(rows.map((r) => mean(r.messages))),
    network: spread(rows.map((r) => mean(r.network))),
    delays: spread(rows.flatMap((r) => r.delays)),
    everywhereMs: spread(rows.map((r) => mean(r.everywhereMs))),
    leaderShare: spread(rows.map((r) => r.traffic.share)),
    perCommand: rows.flatMap((r) => r.messages).reduce((m, n) => m.set(n, (m.get(n) ?? 0) + 1), new Map<number, number>()),
  };
}

/** The cost of a command in each protocol over seeds 1 to SEEDS, and in Raft without pipelining. */
export function costSpreads(): { basic: CostSpread; multi: CostSpread; raft: CostSpread; raftUnpipelined: CostSpread } {
  return {
    basic: costSpread(overSeeds("cost-basic", (seed) => measureBasicPaxos(seed).row)),
    multi: costSpread(overSeeds("cost-multi", (seed) => measureMultiPaxos(seed).row)),
    raft: costSpread(overSeeds("cost-raft", (seed) => measureRaft(seed).row)),
    raftUnpipelined: costSpread(overSeeds("cost-raft-unpipelined", (seed) => measureRaft(seed, false, { pipeline: false }).row)),
  };
}

const ms = (s: Spread) => formatSpread(s, "ms", (x) => `${Math.round(x)}`);

/** "Raft: per run, the average command cost a median of 9.2 messages (8 to 9.6) ..." for one protocol. */
export function costSpreadLine(c: CostSpread): string {
  return (
    `${c.protocol}: per run, the average command cost ${formatSpread(c.messages, "messages")} and every replica had applied it after ${ms(c.everywhereMs)}; ` +
    `every command took ${formatSpread(c.delays, "message delays")}. The ${c.protocol === "Basic Paxos" ? "proposer" : "leader"}'s share of the network messages: ${formatSpread(c.leaderShare, "", percent)}.`
  );
}

/** "8 messages (402 of 500 commands), 10 (11), ..." */
export function perCommandLine(c: CostSpread): string {
  const total = [...c.perCommand.values()].reduce((a, b) => a + b, 0);
  const [first, ...rest] = [...c.perCommand.entries()].sort((a, b) => a[0] - b[0]);
  if (first === undefined) return "no commands";
  return [`${first[0]} messages (${first[1]} of ${total} commands)`, ...rest.map(([n, k]) => `${n} (${k})`)].join(", ");
}

export interface ContentionSpread {
  /** Basic Paxos: rounds lost to pre-emption per run, values chosen per run, ms until both clients had an answer. */
  readonly basicLost: Spread;
  readonly basicChosen: Spread;
  readonly basicMs: Spread;
  /** Raft: values committed per run, ms until both clients had an answer. */
  readonly raftCommitted: Spread;
  readonly raftMs: Spread;
}

export function contentionSpreads(): ContentionSpread {
  const basic = overSeeds("contention-basic", (seed) => measureBasicContention(seed).result);
  const raft = overSeeds("contention-raft", (seed) => measureRaftContention(seed).result);
  const last = (ms: readonly (number | undefined)[]) => Math.max(...ms.map((t) => t ?? Infinity));
  return {
    basicLost: spread(basic.map((r) => r.preempted.reduce((a, b) => a + b, 0))),
    basicChosen: spread(basic.map((r) => r.committed.length)),
    basicMs: spread(basic.map((r) => last(r.answeredMs))),
    raftCommitted: spread(raft.map((r) => r.committed.length)),
    raftMs: spread(raft.map((r) => last(r.answeredMs))),
  };
}

export function contentionSpreadLine(c: ContentionSpread): string {
  return (
    `Over seeds 1 to ${SEEDS}: Basic Paxos lost ${formatSpread(c.basicLost, c.basicLost.median === 1 ? "round" : "rounds")} to pre-emption, chose ${formatSpread(c.basicChosen, c.basicChosen.median === 1 ? "value" : "values")} ` +
    `and answered both clients after ${ms(c.basicMs)}; Raft committed ${formatSpread(c.raftCommitted, "commands")}, answered both clients after ${ms(c.raftMs)} and never lost a round.`
  );
}

export interface FailoverSpread {
  /** ms from the crash until the new leader answered a command, per protocol. */
  readonly multiOutage: Spread;
  readonly raftOutage: Spread;
  /** ms from the crash until a survivor moved to take over, per protocol. */
  readonly multiDetection: Spread;
  readonly raftDetection: Spread;
  /** ms from that move until the new leader answered a command, per protocol. */
  readonly multiTakeover: Spread;
  readonly raftTakeover: Spread;
  /** How long each survivor's election timer had been running when the leader crashed (ms), per protocol. */
  readonly multiTimerAge: Spread;
  readonly raftTimerAge: Spread;
  /** Of the runs: how many had a shorter outage in Raft, and how many in Multi-Paxos. */
  readonly raftFaster: number;
  readonly multiFaster: number;
  /** Runs in which more than one survivor campaigned, per protocol. */
  readonly multiContested: number;
  readonly raftContested: number;
}

const outage = (r: FailoverResult) => (r.committedAt === undefined ? Infinity : r.committedAt - r.crashAt);
const detection = (r: FailoverResult) => (r.detectedAt === undefined ? Infinity : r.detectedAt - r.crashAt);

export function failoverSpreads(): FailoverSpread {
  const multi = overSeeds("failover-multi", (seed) => measureMultiPaxosFailover(seed).result);
  const raft = overSeeds("failover-raft", (seed) => measureRaftFailover(seed).result);
  return {
    multiOutage: spread(multi.map(outage)),
    raftOutage: spread(raft.map(outage)),
    multiDetection: spread(multi.map(detection)),
    raftDetection: spread(raft.map(detection)),
    multiTakeover: spread(multi.map((r) => outage(r) - detection(r))),
    raftTakeover: spread(raft.map((r) => outage(r) - detection(r))),
    multiTimerAge: spread(multi.flatMap((r) => r.timerAges)),
    raftTimerAge: spread(raft.flatMap((r) => r.timerAges)),
    raftFaster: raft.filter((r, i) => outage(r) < outage(multi[i] as FailoverResult)).length,
    multiFaster: raft.filter((r, i) => outage(r) > outage(multi[i] as FailoverResult)).length,
    multiContested: multi.filter((r) => r.campaigns > 1).length,
    raftContested: raft.filter((r) => r.campaigns > 1).length,
  };
}

export function failoverSpreadLine(f: FailoverSpread): string {
  return (
    `Over seeds 1 to ${SEEDS}: no progress for ${ms(f.multiOutage)} after the crash in Multi-Paxos, ${ms(f.raftOutage)} in Raft. ` +
    `A survivor moved to take over after ${ms(f.multiDetection)} in Multi-Paxos and ${ms(f.raftDetection)} in Raft; from there, the new leader answered a command after ${ms(f.multiTakeover)} and ${ms(f.raftTakeover)}. ` +
    `Raft recovered first on ${f.raftFaster} seeds, Multi-Paxos on ${f.multiFaster}${SEEDS - f.raftFaster - f.multiFaster > 0 ? `, neither on ${SEEDS - f.raftFaster - f.multiFaster}` : ""}; ` +
    `more than one survivor campaigned on ${f.multiContested} seeds in Multi-Paxos and ${f.raftContested} in Raft.`
  );
}
