// The linearizability checker's vocabulary: operations, models, options, verdicts and results.

/**
 * One client operation: called at `call`, answered at `return` (same clock, any unit). An operation whose outcome
 * is unknown (the client gave up waiting) has `return: Infinity`: it may have taken effect at any moment after its
 * call, or never.
 */
export interface Operation<I, O> {
  readonly id: number;
  /** Who called it. One client has at most one call outstanding; a client that gives up on a call continues under a new id. */
  readonly client: number;
  readonly call: number;
  readonly return: number;
  readonly input: I;
  readonly output: O;
}

/** What the operations act on, as a sequential specification (Herlihy & Wing §2): a state machine over inputs and outputs. */
export interface Model<S, I, O> {
  readonly name: string;
  init(): S;
  /** ok=false: `output` is impossible for `input` applied to `state`. */
  step(state: S, input: I, output: O): { ok: boolean; next: S };
  /** A key for the state, for memoisation: states with the same key are treated as the same state, unless `equal` says otherwise. */
  hash(state: S): string | number;
  /** Exact equality, for models whose `hash` may give two different states the same key. */
  equal?(a: S, b: S): boolean;
  /** Splits a history into independent parts (e.g. one per key); linearizability is compositional (Herlihy & Wing §3.3). */
  partition?(ops: readonly Operation<I, O>[]): Operation<I, O>[][];
  /**
   * True when the client never learned the outcome: then the operation's return must be Infinity. A model that
   * defines this promises that such an operation is possible (step ok) from every state; the search relies on it
   * to leave such operations for the end, where they change nothing anyone observed.
   */
  outcomeUnknown?(output: O): boolean;
  /**
   * Search guidance, never a verdict: could applying `candidate` (an operation whose outcome is unknown) now be a
   * step towards making `blocked` possible, `blocked` being the operation that must be placed soonest? Those
   * candidates are tried first. Without it: those after which `blocked` is possible at once.
   */
  helps?(state: S, candidateInput: I, candidateOutput: O, blockedInput: I, blockedOutput: O): boolean;
  /**
   * True when the operation never changes the state: from every state the model allows it in, it leads back to that
   * same state (a read, a compare-and-set that failed, a write that did not take effect). The search linearizes such
   * an operation as soon as the model allows it, with no alternative tried, which prunes most of its choices.
   */
  readOnly?(input: I, output: O): boolean;
  /** Why an operation is malformed (unknown kind, missing field), or undefined when it is well formed. */
  validate?(input: I, output: O): string | undefined;
  describeOperation?(input: I, output: O): string;
  describeState?(state: S): string;
}

export interface CheckOptions {
  /** Stop after this long (in the clock's unit, normally ms) with the verdict "unknown". Needs `clock`. */
  timeLimitMs?: number;
  /** A clock the caller supplies (milliseconds from a monotonic source of its choosing). The checker never reads the time itself; without a clock there is no time limit. */
  clock?: () => number;
  /** Stop after visiting this many search states, with the verdict "unknown": a limit that gives the same answer on every machine. */
  maxExplored?: number;
}

/** "ok": linearizable; "illegal": no linearization exists; "unknown": the search stopped at a limit before deciding. */
export type Verdict = "ok" | "illegal" | "unknown";

export interface PartitionResult {
  readonly verdict: Verdict;
  /** Operations in this partition. */
  readonly operations: number;
  /** Search states (linearized set, model state) visited. */
  readonly explored: number;
  /** The ids of its operations, in history order. */
  readonly ids: readonly number[];
  /** True when the check stopped at an illegal partition before reaching this one. */
  readonly skipped?: boolean;
}

export interface Explanation {
  /** Index into `partitions` of the partition with no linearization. */
  readonly partition: number;
  /**
   * The longest sequence of operations that can be linearized, respecting real time (longest in operations with a
   * known outcome; it may include some whose outcome is unknown): op ids in linearization order.
   */
  readonly longestPrefix: readonly number[];
  /** The operations that must come next after that prefix (nothing returned before they were called) but cannot. */
  readonly unplaceable: readonly number[];
  /** The same in words, one line each. */
  readonly describe: readonly string[];
}

export interface CheckResult<I, O> {
  readonly verdict: Verdict;
  readonly partitions: readonly PartitionResult[];
  /** Present when the verdict is "illegal". */
  readonly explanation?: Explanation;
  /** Present when the verdict is "unknown": which limit stopped the search. */
  readonly stoppedBy?: "time" | "explored";
  /** The operations of the illegal partition (present with `explanation`). */
  readonly illegalOperations?: readonly Operation<I, O>[];
}

/** A malformed history: the message names the operation and what is wrong with it. */
export class HistoryError extends Error {
  override readonly name = "HistoryError";
}
