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

/** A command-line option a live run adds to `npm run lesson`. */
export interface LiveOption {
  readonly type: "integer" | "boolean" | "string";
  /** Placeholder shown in help, e.g. "N" or "MS". */
  readonly value?: string;
  readonly description: string;
  /** The smallest value an integer option accepts. */
  readonly min?: number;
}

export interface LiveRunOptions {
  readonly seed: number;
  readonly variant?: string;
  /** Where to write the run's trace (an absolute path), if asked. */
  readonly trace?: string;
  /** Print the trace as JSON on stdout, and the narration on stderr. */
  readonly json?: boolean;
  /** The run's own options, by name, already checked against their declared type. */
  readonly extra: Readonly<Record<string, number | boolean | string | undefined>>;
}

export interface LiveIo {
  /** One line of narration. */
  out(line: string): void;
  /** Terminal styles (the CLI's colours; plain text elsewhere). */
  readonly format: Readonly<Record<"emphasis" | "dim" | "good" | "bad", (text: string) => string>>;
}

/**
 * The part of a lesson that runs real software in real time instead of the simulator (lesson 12: a real etcd
 * cluster). It starts processes, so only `npm run lesson` runs it; the site shows a recorded run instead.
 */
export interface LiveRun {
  readonly id: string;
  readonly title: string;
  readonly summary: string;
  /** What must be installed, in a few words for the lesson list. */
  readonly requires: string;
  readonly defaultSeed: number;
  readonly variants?: Readonly<Record<string, string>>;
  readonly options?: Readonly<Record<string, LiveOption>>;
  /** Runs it and resolves to the exit status: 0 it showed what it set out to, 1 it did not, 2 it could not start. */
  run(options: LiveRunOptions, io: LiveIo): Promise<number>;
}

export interface Lesson {
  readonly number: number;
  readonly slug: string;
  readonly title: string;
  readonly summary: string;
  readonly scenarios: readonly Scenario[];
  /** A run against real software that `npm run lesson N` starts instead of narrating the scenarios. */
  readonly live?: LiveRun;
}
