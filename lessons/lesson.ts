// What a lesson is: numbered, with scenarios that the terminal (npm run lesson N) and the site both run.

import type { Message, Simulation, TraceEvent } from "@course/sim";

export type Protocol = "2pc" | "paxos" | "multi-paxos" | "raft";

export interface ScenarioOptions {
  readonly seed: number;
  /** A named rule variant ("break it" mode), one of the scenario's `variants` keys; absent = the correct rules. */
  readonly variant?: string;
}

export interface ScenarioRun {
  /** The finished run. Its trace (with notes from the scenario) is the story; `sim.rewind(k)` revisits any step. */
  readonly sim: Simulation<Message>;
  /** One line saying how it ended, built from the trace and node state, never from constants. */
  readonly result: string;
}

export interface Scenario {
  /** Short id, unique in its lesson, used in URLs and replay commands: "lost-promise". */
  readonly id: string;
  readonly title: string;
  /** What the reader should watch for, in a sentence or two. */
  readonly summary: string;
  readonly protocol: Protocol;
  /** The seed the lesson text was written against. */
  readonly defaultSeed: number;
  /** Rule variants the reader can switch to, by key, with a description of the bug each one plants. */
  readonly variants?: Readonly<Record<string, string>>;
  run(options: ScenarioOptions): ScenarioRun;
  /** One line of narration for a trace event, or undefined to stay quiet about it. */
  describe?(event: TraceEvent): string | undefined;
}

export interface Lesson {
  readonly number: number;
  readonly slug: string;
  readonly title: string;
  readonly summary: string;
  readonly scenarios: readonly Scenario[];
}
