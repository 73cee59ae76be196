// Forking a run at a step: a fresh simulation from the same spec replays the recorded actions up to there.

import { Simulation, type Message, type RecordedAction } from "@course/sim";

/**
 * Why not `sim.rewind(k)`: invariant hooks may remember what they saw (leaders per term, applied entries),
 * and after a rewind they would judge the new branch against the old future. A fresh simulation runs without
 * the scenario's hooks, so a reader's fork is never stopped by a check that watched a different history.
 *
 * Exactness: an action recorded after step s at time t is replayed after step s; when t is later than the
 * clock, the original clock got there by running every event up to t, so `runUntilTime(t)` runs nothing new.
 */
export function replayTo<M extends Message>(source: Simulation<M>, step: number): Simulation<M> {
  const fresh = new Simulation<M>({ ...source.spec, hooks: [] });
  for (const rec of source.actions as readonly RecordedAction[]) {
    if (rec.afterStep > step) break;
    while (fresh.stepCount < rec.afterStep && fresh.step()) {
      // step() does the work
    }
    if (rec.at > fresh.now) fresh.runUntilTime(rec.at);
    fresh.apply(rec.action);
  }
  while (fresh.stepCount < step && fresh.step()) {
    // step() does the work
  }
  return fresh;
}
