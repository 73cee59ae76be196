// The shape every randomized protocol run shares: faults until a time, then a reliable network and a liveness bound.

import type { Message, Simulation, Violation } from "@course/sim";

/** What a randomized run found: a safety violation, or whether (and how fast) the system recovered. */
export interface RandomRunResult {
  readonly seed: number;
  readonly violation?: Violation;
  /** The simulator's report of the violation, with time, step and seed. */
  readonly report?: string;
  /** False when, after the faults stopped, the system did not make progress within the bound. */
  readonly live: boolean;
  /** Virtual ms from the end of the faults to the progress that was asked for. */
  readonly recoveryTime?: number;
}

/**
 * Runs the faulty stretch up to `until`; then, with loss and duplication switched off, lets `afterFaults` ask for
 * progress (a request, say) and waits up to `livenessBound` ms for the predicate it returns to hold.
 */
export function finishRandomRun<M extends Message>(
  sim: Simulation<M>,
  until: number,
  livenessBound: number,
  afterFaults: () => (sim: Simulation<M>) => boolean,
): RandomRunResult {
  const seed = sim.spec.seed;
  sim.runUntilTime(until);
  if (sim.violation) return { seed, violation: sim.violation, report: sim.violationReport(), live: true };
  sim.apply({ type: "link", config: { drop: 0, duplicate: 0 } });
  const progressed = afterFaults();
  const start = sim.now;
  const live = sim.runUntil(progressed, { timeout: livenessBound });
  if (sim.violation) return { seed, violation: sim.violation, report: sim.violationReport(), live };
  return live ? { seed, live, recoveryTime: sim.now - start } : { seed, live };
}
