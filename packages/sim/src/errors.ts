// Errors the simulator raises for bad input, and the report of an invariant violation.

/** Bad input to the simulator: a clear message instead of a hang or NaN. */
export class SimulationError extends Error {
  override name = "SimulationError";
}

/** What an invariant checker reports when a safety property fails. */
export interface Violation {
  /** Which checker fired, e.g. "Election Safety". */
  readonly checker: string;
  /** A sentence a student can read. */
  readonly message: string;
  /** Structured evidence (the conflicting nodes, terms, values...). */
  readonly details?: unknown;
}

/** Thrown by `Simulation.assertNoViolation()` so a test fails with the full report. */
export class InvariantViolationError extends Error {
  override name = "InvariantViolationError";
  constructor(
    readonly violation: Violation,
    readonly report: string,
  ) {
    super(report);
  }
}
