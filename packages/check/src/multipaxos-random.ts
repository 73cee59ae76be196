// Randomized fault runs of Multi-Paxos: retrying clients under faults; then every command answered and every log the same.

import { Rng, Simulation, type Violation } from "@course/sim";
import { createMultiPaxosNode, type MultiPaxosMessage, type MultiPaxosNode, type MultiPaxosNodeOptions } from "@course/paxos";
import { multiPaxosChecker } from "./multipaxos.js";
import { checkChosenOnceMultiPaxos, checkExactlyOnceMultiPaxos, MULTI_PAXOS_EXACTLY_ONCE } from "./multipaxos-exactly-once.js";
import { RetryingMultiPaxosClients, type ClientScript } from "./multipaxos-clients.js";
import { RANDOM_NETWORK, nemesisFor, type RandomRunOptions } from "./paxos-random.js";
import type { RandomRunResult } from "./random-run.js";

export interface MultiPaxosRandomOptions extends RandomRunOptions<MultiPaxosNodeOptions> {
  /**
   * Count the commands a replica executes twice instead of stopping at the first: for measuring a broken state
   * machine (a mutant). Off, an execution twice is a violation like any other.
   */
  readonly countDuplicateExecutions?: boolean;
}

export interface MultiPaxosRunResult extends RandomRunResult {
  /** Client commands in the run, the one sent after the faults included, and how many were answered. */
  readonly commands: number;
  readonly answered: number;
  /** Commands chosen in more than one slot: allowed (each replica executes the first copy only), and counted. */
  readonly chosenTwice: number;
  /** Commands some replica executed more than once: must be 0. */
  readonly appliedTwice: number;
  /** For a run that did not recover: what was still missing when the liveness bound ran out. */
  readonly stuck?: string;
}

/** Each client resends an unanswered command after this long (ms): longer than an election, so most retries find a leader. */
const RETRY_AFTER = 300;
const MAX_THINK = 300;
/** Default liveness bound (ms after the faults stop) for every command to be answered and every log to agree. */
export const MULTI_PAXOS_LIVENESS_BOUND = 4000;

/**
 * One reproducible run: one to three clients (names c1..c3) send the run's commands, one at a time each, to random
 * replicas, retrying at another replica when no answer comes, while the nemesis works; the safety and exactly-once
 * checkers run after every step. Once the faults stop (every node up, links reliable), one more client sends a
 * command. Within `livenessBound` every client command must be answered and every replica must have applied the
 * same log (same length, so, by the safety checks, the same commands).
 */
export function runMultiPaxosRandom(seed: number, options: MultiPaxosRandomOptions = {}): MultiPaxosRunResult {
  const nodes = Array.from({ length: options.nodes ?? 5 }, (_, i) => i);
  const until = options.faultsUntil ?? 1500;
  const rng = new Rng(seed).fork("workload");
  const commands = rng.int(...(options.clients ?? [3, 8]));
  const clientCount = rng.int(1, Math.min(3, commands));
  const scripts: ClientScript[] = Array.from({ length: clientCount }, (_, k) => ({
    client: `c${k + 1}`,
    ops: Array.from({ length: commands }, (_, i) => `cmd${i + 1}`).filter((_, i) => i % clientCount === k),
    start: Math.round(rng.uniform(0, until / 2)),
  }));
  scripts.push({ client: "late", ops: ["final"], start: until });

  const chosenTwice = new Set<string>();
  const appliedTwice = new Set<string>();
  const named = (into: Set<string>) => (finding: Violation) => into.add(String((finding.details as { command?: string } | undefined)?.command));
  const exactlyOnce = checkExactlyOnceMultiPaxos(options.countDuplicateExecutions ? { report: named(appliedTwice) } : {});
  const sim = new Simulation<MultiPaxosMessage>({
    seed,
    nodes,
    createNode: createMultiPaxosNode(options.node),
    network: { ...RANDOM_NETWORK, ...(options.network ?? {}) },
    faults: nemesisFor(seed, nodes, until, options.nemesis, options.network?.drop),
    record: false,
    hooks: [multiPaxosChecker(options.node?.quorums ? { quorums: options.node.quorums } : {}), exactlyOnce, checkChosenOnceMultiPaxos({ report: named(chosenTwice) })],
  });
  const clients = new RetryingMultiPaxosClients(sim, nodes, scripts, new Rng(seed).fork("clients"), { retryAfter: RETRY_AFTER, maxThink: MAX_THINK });
  const result = () => ({
    seed,
    commands: clients.commands,
    answered: clients.answered,
    chosenTwice: chosenTwice.size,
    appliedTwice: appliedTwice.size + (sim.violation?.checker === MULTI_PAXOS_EXACTLY_ONCE ? 1 : 0),
  });
  const violated = (live: boolean): MultiPaxosRunResult => ({ ...result(), violation: sim.violation as Violation, report: sim.violationReport(), live });

  clients.run(until);
  if (sim.violation) return violated(true);
  sim.apply({ type: "link", config: { drop: 0, duplicate: 0 } });
  const start = sim.now;
  const view = (id: number) => sim.node<MultiPaxosNode>(id)?.inspect();
  const sameLogs = () => {
    const length = view(0)?.log.length;
    return nodes.every((id) => view(id)?.log.length === length && view(id)?.chosenAhead.size === 0);
  };
  const live = clients.run(start + (options.livenessBound ?? MULTI_PAXOS_LIVENESS_BOUND), () => clients.finished && sameLogs());
  if (sim.violation) return violated(live);
  if (live) return { ...result(), live, recoveryTime: sim.now - start };
  const waiting = clients.unanswered();
  const logs = nodes.map((id) => `${id}: ${view(id)?.log.length ?? "down"} slots`).join(", ");
  return { ...result(), live, stuck: `${waiting.length ? `unanswered: ${waiting.join(", ")}` : "every command answered"}; applied logs: ${logs}` };
}

export interface MultiPaxosRunSummary {
  readonly runs: number;
  readonly commands: number;
  readonly answered: number;
  readonly chosenTwice: number;
  readonly appliedTwice: number;
  /** Recovery time after the faults stopped, over the runs that recovered (nearest-rank percentiles, ms). */
  readonly recovery: { readonly p50: number; readonly p99: number; readonly max: number };
}

/** Totals over many runs, for the stress report: how many commands ran twice (must be 0) and how fast runs recovered. */
export function summarizeMultiPaxosRuns(results: readonly MultiPaxosRunResult[]): MultiPaxosRunSummary {
  const sum = (f: (r: MultiPaxosRunResult) => number) => results.reduce((n, r) => n + f(r), 0);
  const times = results.flatMap((r) => (r.recoveryTime === undefined ? [] : [r.recoveryTime])).sort((a, b) => a - b);
  const rank = (q: number) => Math.round(times[Math.max(0, Math.ceil(q * times.length) - 1)] ?? 0);
  return {
    runs: results.length,
    commands: sum((r) => r.commands),
    answered: sum((r) => r.answered),
    chosenTwice: sum((r) => r.chosenTwice),
    appliedTwice: sum((r) => r.appliedTwice),
    recovery: { p50: rank(0.5), p99: rank(0.99), max: Math.round(times.at(-1) ?? 0) },
  };
}

export function formatMultiPaxosSummary(s: MultiPaxosRunSummary): string {
  return (
    `${s.runs} runs, ${s.commands} client commands, ${s.answered} answered; ${s.chosenTwice} chosen in two slots (the copy skipped), ` +
    `${s.appliedTwice} executed twice; recovery after the faults p50 ${s.recovery.p50} ms, p99 ${s.recovery.p99} ms, max ${s.recovery.max} ms`
  );
}
