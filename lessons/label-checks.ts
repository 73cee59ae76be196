// Test helpers for labeled steps: a jump to a label must show a state in which the label's text is true.

import { describe, expect, it } from "vitest";
import type { Message, Simulation, TraceEvent } from "@course/sim";
import type { Scenario, ScenarioOptions } from "./lesson.js";

export type LabeledNote = Extract<TraceEvent, { kind: "note" }> & { readonly label: string };

/** What a check sees: the run replayed to the label's step, the label's note, and the whole run's trace. */
export interface LabelState {
  /** The simulation as a jump shows it: every event of the label's step has happened, nothing after it. */
  readonly sim: Simulation<Message>;
  readonly note: LabeledNote;
  /** The full trace of the finished run (the replayed `sim.trace` stops at the label). */
  readonly trace: readonly TraceEvent[];
}

export type LabelCheck = (state: LabelState) => void;

export function labeledNotes(trace: readonly TraceEvent[]): LabeledNote[] {
  return trace.filter((e): e is LabeledNote => e.kind === "note" && e.label !== undefined);
}

/**
 * Replays a scenario to the step that a jump to `label` shows on the site (which draws every event whose step is
 * at most the label's) and in the terminal (`--step` pauses there): `sim.rewind(step)`.
 */
export function stateAtLabel(scenario: Scenario, label: string, options: ScenarioOptions = { seed: scenario.defaultSeed }): LabelState {
  const run = scenario.run(options);
  const trace = [...run.sim.trace];
  const note = labeledNotes(trace).find((n) => n.label === label);
  if (note === undefined) throw new Error(`scenario ${scenario.id} has no label "${label}"`);
  run.sim.rewind(note.step);
  return { sim: run.sim, note, trace };
}

/**
 * The events a heading announces: from its label's note to the next heading (or the end of the run), in the full
 * trace. A heading that names what its part of the run will do is true when that part does it.
 */
export function section(state: LabelState): readonly TraceEvent[] {
  const next = state.trace.find((e) => e.seq > state.note.seq && e.kind === "note" && (e.style === "heading" || e.style === "result"));
  return state.trace.filter((e) => e.seq > state.note.seq && e.seq < (next?.seq ?? Infinity));
}

/**
 * Registers one test per label of the scenario's run (with these options): each check must hold in the state a
 * jump to its label shows. One more test fails when the run has a label without a check, or a check names a
 * label the run does not have, so new labels cannot go unchecked.
 */
export function labelTests(scenario: Scenario, checks: Readonly<Record<string, LabelCheck>>, options: ScenarioOptions = { seed: scenario.defaultSeed }): void {
  const where = `${scenario.id} (seed ${options.seed}${options.variant ? `, variant ${options.variant}` : ""})`;
  describe(`labeled steps of ${where}`, () => {
    it("has a check for every label, and a label for every check", () => {
      const labels = labeledNotes(scenario.run(options).sim.trace).map((n) => n.label);
      expect(labels.slice().sort()).toEqual(Object.keys(checks).sort());
    });
    for (const [label, check] of Object.entries(checks)) {
      it(`a jump to "${label}" shows what its text says`, () => check(stateAtLabel(scenario, label, options)));
    }
  });
}
