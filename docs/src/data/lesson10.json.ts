// Data loader (runs at build time): lesson 10's measurements over many seeds, for the comparison charts on its page.

import { measureBasicPaxos } from "@course/lessons/10-paxos-vs-raft/cost-basic.ts";
import { measureMultiPaxos } from "@course/lessons/10-paxos-vs-raft/cost-multi.ts";
import { measureRaft } from "@course/lessons/10-paxos-vs-raft/cost-raft.ts";
import { measureBasicContention } from "@course/lessons/10-paxos-vs-raft/contention-basic.ts";
import { measureRaftContention } from "@course/lessons/10-paxos-vs-raft/contention-raft.ts";
import { measureMultiPaxosFailover, measureRaftFailover } from "@course/lessons/10-paxos-vs-raft/failover.ts";

/** Seeds 1..SEEDS: every chart on the page is a distribution over these runs, never one run. */
const SEEDS = 100;

interface CommandRow {
  protocol: string;
  seed: number;
  command: number;
  messages: number;
  network: number;
  delays: number;
  everywhereMs: number;
}

const commands: CommandRow[] = [];
const traffic: Array<{ protocol: string; seed: number; hubShare: number; total: number }> = [];
const contention: Array<{ protocol: string; seed: number; bothAnsweredMs: number | null; roundsLost: number; messages: number }> = [];
const failover: Array<{ protocol: string; seed: number; outageMs: number | null; detectMs: number | null; electionMs: number | null; firstCommandMs: number | null; campaigns: number }> = [];

const since = (from: number, to: number | undefined) => (to === undefined ? null : to - from);

for (let seed = 1; seed <= SEEDS; seed++) {
  for (const { row } of [measureBasicPaxos(seed), measureMultiPaxos(seed), measureRaft(seed)]) {
    row.messages.forEach((m, i) => commands.push({ protocol: row.protocol, seed, command: i + 1, messages: m, network: row.network[i] as number, delays: row.delays[i] as number, everywhereMs: row.everywhereMs[i] as number }));
    traffic.push({ protocol: row.protocol, seed, hubShare: row.traffic.share, total: row.traffic.total });
  }
  const basic = measureBasicContention(seed).result;
  const raft = measureRaftContention(seed).result;
  for (const [protocol, r] of [["Basic Paxos", basic], ["Raft", raft]] as const) {
    const answered = r.answeredMs.every((t) => t !== undefined) ? Math.max(...(r.answeredMs as number[])) : null;
    contention.push({ protocol, seed, bothAnsweredMs: answered, roundsLost: r.preempted.reduce((a, b) => a + b, 0), messages: r.messages });
  }
  for (const { result: f } of [measureMultiPaxosFailover(seed), measureRaftFailover(seed)]) {
    failover.push({
      protocol: f.protocol,
      seed,
      outageMs: since(f.crashAt, f.committedAt),
      detectMs: since(f.crashAt, f.detectedAt),
      electionMs: f.detectedAt === undefined ? null : since(f.detectedAt, f.leaderAt),
      firstCommandMs: f.leaderAt === undefined ? null : since(f.leaderAt, f.committedAt),
      campaigns: f.campaigns,
    });
  }
}

process.stdout.write(JSON.stringify({ seeds: SEEDS, commands, traffic, contention, failover }));
