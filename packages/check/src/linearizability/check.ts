// checkLinearizable: validates a history, splits it into partitions, searches each, and explains an illegal one.

import { searchPartition, type SearchBudget } from "./search.js";
import type { CheckOptions, CheckResult, Explanation, Model, Operation, PartitionResult } from "./types.js";
import { validateHistory } from "./validate.js";

/** How often the caller's clock is read: once per this many search steps (reading it costs more than a step). */
const CLOCK_EVERY = 1024;

class Budget implements SearchBudget {
  explored = 0;
  private steps = 0;
  private stopped: "time" | "explored" | undefined;
  private readonly deadline: number | undefined;

  constructor(private readonly options: CheckOptions) {
    if (options.timeLimitMs !== undefined && !(options.timeLimitMs >= 0)) throw new RangeError(`timeLimitMs must be a number >= 0, got ${options.timeLimitMs}`);
    if (options.maxExplored !== undefined && !(options.maxExplored >= 0)) throw new RangeError(`maxExplored must be a number >= 0, got ${options.maxExplored}`);
    this.deadline = options.clock !== undefined && options.timeLimitMs !== undefined ? options.clock() + options.timeLimitMs : undefined;
  }

  exhausted(): "time" | "explored" | undefined {
    if (this.stopped !== undefined) return this.stopped;
    if (this.options.maxExplored !== undefined && this.explored >= this.options.maxExplored) this.stopped = "explored";
    else if (this.deadline !== undefined && ++this.steps % CLOCK_EVERY === 0 && (this.options.clock as () => number)() >= this.deadline) this.stopped = "time";
    return this.stopped;
  }
}

/**
 * Is the history linearizable under the model? Partitions (e.g. keys) are checked one after another and the
 * check stops at the first illegal one: one illegal partition makes the whole history illegal. A limit (time or
 * explored states) gives "unknown" instead of an exception; a malformed history throws a HistoryError.
 */
export function checkLinearizable<S, I, O>(model: Model<S, I, O>, history: readonly Operation<I, O>[], options: CheckOptions = {}): CheckResult<I, O> {
  validateHistory(model, history);
  const budget = new Budget(options);
  const parts = model.partition ? model.partition(history) : [[...history]];
  const partitions: PartitionResult[] = [];
  let explanation: Explanation | undefined;
  let illegalOperations: readonly Operation<I, O>[] | undefined;
  let stoppedBy: "time" | "explored" | undefined;
  for (const ops of parts) {
    const ids = ops.map((o) => o.id);
    if (explanation !== undefined) {
      partitions.push({ verdict: "unknown", operations: ops.length, explored: 0, ids, skipped: true });
      continue;
    }
    const outcome = searchPartition(model, ops, budget);
    partitions.push({ verdict: outcome.verdict, operations: ops.length, explored: outcome.explored, ids });
    stoppedBy ??= outcome.stoppedBy;
    if (outcome.verdict === "illegal" && outcome.longest !== undefined) {
      explanation = explain(model, ops, partitions.length - 1, outcome.longest);
      illegalOperations = ops;
    }
  }
  if (explanation !== undefined) return { verdict: "illegal", partitions, explanation, illegalOperations };
  if (partitions.some((p) => p.verdict === "unknown")) return { verdict: "unknown", partitions, ...(stoppedBy ? { stoppedBy } : {}) };
  return { verdict: "ok", partitions };
}

/** An operation in words, with who called it and when. */
export function describeOperation<I, O>(model: Model<unknown, I, O>, op: Operation<I, O>): string {
  const what = model.describeOperation?.(op.input, op.output) ?? `${JSON.stringify(op.input)} -> ${JSON.stringify(op.output)}`;
  const at = (t: number): string => String(Math.round(t * 10) / 10);
  return `${what} [id ${op.id}, client ${op.client}, ${at(op.call)}..${op.return === Infinity ? "no answer" : at(op.return)}]`;
}

/** How many operations at the end of the longest prefix the explanation spells out. */
const SHOWN_PREFIX = 10;

/**
 * After the longest linearization, the operations that must come next are those called before every remaining
 * operation's return (nothing still to place precedes them in real time). The search could not extend the
 * longest linearization, so the model rejects each of them from the state it reached.
 */
function explain<S, I, O>(model: Model<S, I, O>, ops: readonly Operation<I, O>[], partition: number, longest: { order: readonly number[]; state: S }): Explanation {
  const placed = new Set(longest.order);
  const remaining = ops.map((_, i) => i).filter((i) => !placed.has(i));
  const firstReturn = remaining.reduce((min, i) => Math.min(min, (ops[i] as Operation<I, O>).return), Infinity);
  const candidates = remaining.filter((i) => (ops[i] as Operation<I, O>).call <= firstReturn);
  const rejected = candidates.filter((i) => !model.step(longest.state, (ops[i] as Operation<I, O>).input, (ops[i] as Operation<I, O>).output).ok);
  const unplaceable = rejected.length > 0 ? rejected : candidates;
  const say = (i: number) => describeOperation(model as Model<unknown, I, O>, ops[i] as Operation<I, O>);
  const state = model.describeState?.(longest.state) ?? JSON.stringify(longest.state);
  const describe = [
    `No order of these ${ops.length} operations (partition ${partition}) agrees with both real time and the ${model.name} model.`,
    longest.order.length === 0
      ? "Not even the first operation can be placed."
      : `The longest linearizable prefix has ${longest.order.length} operation${longest.order.length === 1 ? "" : "s"}:`,
    ...(longest.order.length > SHOWN_PREFIX ? [`  ... ${longest.order.length - SHOWN_PREFIX} earlier operations, then:`] : []),
    ...longest.order.slice(-SHOWN_PREFIX).map((i, k, shown) => `  ${longest.order.length - shown.length + k + 1}. ${say(i)}`),
    `State after it: ${state}.`,
    `None of the operations that must come next is possible from that state:`,
    ...unplaceable.map((i) => `  ${say(i)}`),
  ];
  return { partition, longestPrefix: longest.order.map((i) => (ops[i] as Operation<I, O>).id), unplaceable: unplaceable.map((i) => (ops[i] as Operation<I, O>).id), describe };
}
