// Randomized fault runs of Basic Paxos: crashes, pauses, partitions, cuts, loss, duplicates; then liveness.

import { Rng, Simulation, randomFaults, type LinkConfig, type NemesisOptions, type ScheduledRequest } from "@course/sim";
import { createPaxosNode, type PaxosMessage, type PaxosNodeOptions } from "@course/paxos";
import { paxosChecker } from "./paxos.js";
import { finishRandomRun, type RandomRunResult } from "./random-run.js";

export type { RandomRunResult } from "./random-run.js";

export interface RandomRunOptions<O> {
  /** Node options: rules to swap in (a student's function, a mutant), the liveness fix... */
  readonly node?: O;
  /** Faults happen before this time (ms); afterwards the network is reliable and every node is up. */
  readonly faultsUntil?: number;
  /** After the faults stop, a fresh request must be answered within this many ms (the liveness bound). */
  readonly livenessBound?: number;
  readonly nodes?: number;
  /** How many clients (Basic Paxos: proposers with different values; Multi-Paxos: commands; 2PC: transactions), as [min, max]. */
  readonly clients?: readonly [number, number];
  /** Network settings during the faults (default RANDOM_NETWORK); a lossier network hunts rare bugs better. */
  readonly network?: Partial<LinkConfig>;
  /** Fault rates and durations (default DEFAULT_NEMESIS). */
  readonly nemesis?: NemesisSettings;
}

/** Fault rates per simulated second and fault durations that the random runs of every protocol share. */
export const DEFAULT_NEMESIS: NemesisSettings = {
  rates: { crash: 2, pause: 1, partition: 1, cut: 1.5, lossy: 0.7 },
  duration: { min: 50, max: 600 },
};

export type NemesisSettings = Pick<NemesisOptions, "rates" | "duration">;

/** The nemesis's schedule for a run; `baseDrop` is the loss rate a lossy period returns to. */
export function nemesisFor(seed: number, nodes: readonly number[], until: number, settings: NemesisSettings = DEFAULT_NEMESIS, baseDrop: number = RANDOM_NETWORK.drop) {
  return randomFaults({ seed, nodes, end: until, ...settings, lossyDrop: Math.max(0.4, baseDrop), network: { drop: baseDrop } });
}

export const RANDOM_NETWORK = { latency: { kind: "uniform", min: 1, max: 10 }, drop: 0.05, duplicate: 0.05 } as const;

/**
 * One reproducible run: two to four clients (by default) propose different values at random nodes and times while the
 * nemesis works; the checker runs after every step. Once the faults stop (all nodes up, links reliable), a
 * client asks one more node, which must answer with the chosen value within `livenessBound`.
 */
export function runPaxosRandom(seed: number, options: RandomRunOptions<PaxosNodeOptions> = {}): RandomRunResult {
  const nodes = Array.from({ length: options.nodes ?? 5 }, (_, i) => i);
  const until = options.faultsUntil ?? 1500;
  const rng = new Rng(seed).fork("workload");
  const requests: ScheduledRequest[] = [];
  const proposers = rng.int(...(options.clients ?? [2, 4]));
  for (let i = 0; i < proposers; i++) requests.push({ at: Math.round(rng.uniform(0, until * 0.7)), node: rng.pick(nodes), op: `v${i + 1}` });
  const sim = new Simulation<PaxosMessage>({
    seed,
    nodes,
    createNode: createPaxosNode(options.node),
    network: { ...RANDOM_NETWORK, ...(options.network ?? {}) },
    faults: nemesisFor(seed, nodes, until, options.nemesis, options.network?.drop),
    requests,
    record: false,
    hooks: [paxosChecker()],
  });
  return finishRandomRun(sim, until, options.livenessBound ?? 3000, () => {
    const asked = sim.request(rng.pick(nodes), "late");
    return (s) => s.requests.some((r) => r.request.id === asked && r.replyAt !== undefined);
  });
}

