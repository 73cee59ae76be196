// Scenario 4: two clients at two nodes propose at once in Basic Paxos: rounds lost to pre-emption.

import { describePaxosEvent, finishStory, formatBallot, type BasicPaxosNode, type Nack } from "@course/paxos";
import type { NodeId, TraceEvent } from "@course/sim";
import type { Scenario } from "../lesson.js";
import { asRun, basicPaxosCluster, FIVE } from "./clusters.js";
import { networkSends } from "./measure.js";

export const RIVALS = [1, 3] as const;
export const VALUES = ["a", "b"] as const;
/** Equal latencies on every link make the race even: neither proposer is simply faster. */
export const EVEN_NETWORK = { latency: { kind: "fixed", ms: 5 } } as const;

export interface ContentionResult {
  /** Time from the two requests until each client had its answer (ms); undefined if none came. */
  readonly answeredMs: readonly (number | undefined)[];
  /** The values the protocol committed, in order. */
  readonly committed: readonly string[];
  /** Rounds each competitor started, and rounds it lost because an acceptor had promised a rival's higher number. */
  readonly rounds: readonly number[];
  readonly preempted: readonly number[];
  readonly messages: number;
}

/** Rounds lost to pre-emption: distinct ballots of `node` that some acceptor refused. */
function preemptedRounds(trace: readonly TraceEvent[], node: NodeId): number {
  const refused = new Set<string>();
  for (const e of trace) if (e.kind === "deliver" && e.to === node && e.msg.type === "nack") refused.add(formatBallot((e.msg as Nack).n));
  return refused.size;
}

export function measureBasicContention(seed: number, narrate = false) {
  const sim = basicPaxosCluster(seed, {}, { network: EVEN_NETWORK });
  if (narrate) sim.heading(`Proposers ${RIVALS[0]} and ${RIVALS[1]} are asked for '${VALUES[0]}' and '${VALUES[1]}' at the same moment`, "race");
  const ids = RIVALS.map((node, i) => sim.request(node, VALUES[i]));
  const inspect = (n: number) => sim.node<BasicPaxosNode>(n)?.inspect();
  sim.runUntil(() => ids.every((id) => sim.requests.find((r) => r.request.id === id)?.replyAt !== undefined), { timeout: 3000 });
  sim.runUntil(() => FIVE.every((n) => inspect(n)?.learned !== undefined), { timeout: 1000 });
  sim.runFor(20);
  const chosen = inspect(RIVALS[0])?.learned;
  const result: ContentionResult = {
    answeredMs: ids.map((id) => sim.requests.find((r) => r.request.id === id)?.replyAt),
    committed: chosen === undefined ? [] : [chosen],
    rounds: RIVALS.map((n) => sim.trace.filter((e) => e.kind === "send" && e.from === n && e.to === n && e.msg.type === "prepare").length),
    preempted: RIVALS.map((n) => preemptedRounds(sim.trace, n)),
    messages: networkSends(sim.trace).length,
  };
  return { sim, result };
}

export function basicContentionLine(r: ContentionResult): string {
  const lost = VALUES.filter((v) => !r.committed.includes(v));
  return (
    `Basic Paxos: '${r.committed.join("', '")}' chosen after ${Math.round(Math.max(...r.answeredMs.map((t) => t ?? Infinity)))} ms; ` +
    `proposers ${RIVALS.join(" and ")} started ${r.rounds.join(" and ")} rounds and lost ${r.preempted.join(" and ")} to pre-emption; ` +
    `${lost.length > 0 ? `'${lost.join("', '")}' was not chosen and needs another instance` : "both values chosen"}; ${r.messages} network messages`
  );
}

export const contentionBasicPaxos: Scenario = {
  id: "contention-basic-paxos",
  title: "Contention in Basic Paxos: proposers pre-empt each other",
  summary:
    "Two clients reach two different nodes at once, each with its own value, so there are two proposers. Each prepare with a higher number makes the acceptors refuse the rival's accept; randomized backoff eventually lets one finish. Only one value can win the instance: the other client's command is not chosen at all.",
  protocol: "paxos",
  defaultSeed: 1,
  describe: describePaxosEvent,
  run({ seed }) {
    const { sim, result } = measureBasicContention(seed, true);
    sim.heading("What the race cost", "cost");
    const wasted = result.preempted.reduce((a, b) => a + b, 0);
    sim.note(
      `${result.rounds.reduce((a, b) => a + b, 0)} rounds were started and ${wasted} of them ${wasted === 1 ? "was" : "were"} lost because an acceptor had meanwhile promised the rival's higher number. ` +
        `Each lost round cost messages and at least two message delays, and the backoff that ends the duel adds waiting on top. Nothing unsafe happened: the acceptors' promises make sure only one value is chosen.`,
      { label: "rounds-lost" },
    );
    return asRun(finishStory(sim, basicContentionLine(result)));
  },
};
