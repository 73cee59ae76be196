// Tools for scripted scenarios: put a phase heading just before the step that starts the phase, end with a result.

import type { Message, Simulation } from "@course/sim";

/**
 * Run until `reached` holds, then place `heading` just before the step that made it hold (the run is replayed
 * to the step before, which the simulator's determinism makes exact), so the narration reads in order.
 * Returns false, without a heading, if `reached` never held within `timeout` ms.
 */
export function headingBefore<M extends Message>(sim: Simulation<M>, reached: (sim: Simulation<M>) => boolean, heading: string, label?: string, timeout = 10_000): boolean {
  if (reached(sim)) {
    sim.heading(heading, label);
    return true;
  }
  if (!sim.runUntil(reached, { timeout })) return false;
  sim.rewind(sim.stepCount - 1);
  sim.heading(heading, label);
  return true;
}

/** The scenario's last line: recorded in the trace as the result note and returned for `ScenarioRun.result`. */
export function finishStory<M extends Message>(sim: Simulation<M>, result: string): { sim: Simulation<M>; result: string } {
  sim.note(result, { style: "result" });
  return { sim, result };
}
