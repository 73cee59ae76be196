// Tools for scripted scenarios: a phase heading just before the step that starts the phase, checkpoints, a result.

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

/**
 * A labeled note that is the last thing at its step. A jump to a label shows the state after every event and
 * action of the label's step, so the scenario's next action must not share that step: this runs until one more
 * event has happened (at most `timeout` ms) before returning.
 */
export function checkpoint<M extends Message>(sim: Simulation<M>, text: string, label: string, timeout = 1000): void {
  sim.note(text, { label });
  const step = sim.stepCount;
  sim.runUntil((s) => s.stepCount > step, { timeout });
}
