// A reference checker for tests: tries every order of the operations that respects real time, with no memo and no pruning.

import type { Model, Operation } from "../src/index.js";

export interface BruteForceResult {
  readonly linearizable: boolean;
  /** The most operations with a known outcome in any valid order of a subset that is closed under real-time precedence. */
  readonly longestKnown: number;
}

/**
 * Straight from the definition (Herlihy & Wing §2): a history is linearizable if some sequence of its operations
 * contains every operation with a known outcome, puts a before b whenever a returned before b was called, and
 * the model accepts each output in turn. An operation with an unknown outcome (return Infinity) may be in the
 * sequence anywhere after its call, or not at all. Exponential: only for a handful of operations.
 */
export function bruteForce<S, I, O>(model: Model<S, I, O>, history: readonly Operation<I, O>[]): BruteForceResult {
  const parts = model.partition ? model.partition(history) : [[...history]];
  let linearizable = true;
  let longestKnown = 0;
  for (const ops of parts) {
    const r = bruteForcePartition(model, ops);
    if (!r.linearizable && linearizable) {
      linearizable = false;
      longestKnown = r.longestKnown;
    }
  }
  return { linearizable, longestKnown };
}

function bruteForcePartition<S, I, O>(model: Model<S, I, O>, ops: readonly Operation<I, O>[]): BruteForceResult {
  const known = ops.filter((o) => o.return !== Infinity).length;
  const placed = new Array<boolean>(ops.length).fill(false);
  let longestKnown = 0;
  const extend = (state: S, placedKnown: number): boolean => {
    longestKnown = Math.max(longestKnown, placedKnown);
    if (placedKnown === known) return true;
    for (let b = 0; b < ops.length; b++) {
      if (placed[b]) continue;
      const op = ops[b] as Operation<I, O>;
      // b may go next only if no unplaced operation returned before b was called.
      if (ops.some((a, i) => !placed[i] && i !== b && a.return < op.call)) continue;
      const r = model.step(state, op.input, op.output);
      if (!r.ok) continue;
      placed[b] = true;
      const found = extend(r.next, placedKnown + (op.return === Infinity ? 0 : 1));
      placed[b] = false;
      if (found) return true;
    }
    return false;
  };
  const linearizable = extend(model.init(), 0);
  return { linearizable, longestKnown };
}
