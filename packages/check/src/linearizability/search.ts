// The search for one partition: Wing & Gong's algorithm with Lowe's just-in-time linearization and a memo table, as in Porcupine.

import { LinearizedSet, mix32 } from "./bitset.js";
import type { Model, Operation, Verdict } from "./types.js";

/** Shared by every partition of one check: counts visited states and says when a limit has been reached. */
export interface SearchBudget {
  explored: number;
  /** Called once per search step; a reason once a limit has been reached (and from then on). */
  exhausted(): "time" | "explored" | undefined;
}

export interface SearchOutcome<S> {
  readonly verdict: Verdict;
  readonly explored: number;
  readonly stoppedBy?: "time" | "explored";
  /** On "illegal": the longest linearization found (indexes into the partition's operations) and the state after it. */
  readonly longest?: { readonly order: readonly number[]; readonly state: S };
}

/**
 * Visited search points: (operations with a known outcome linearized, model state, operations with an unknown
 * outcome linearized). Two orders that reach the same point have the same future, so the second is pruned. When
 * the model promises that an unknown outcome is possible from every state, a point is also pruned if one with the
 * same known set and state but a subset of its unknown operations was visited: those unknown operations can be
 * left for the very end (where they change nothing anyone saw), so the point with fewer of them can do all it can.
 *
 * Entries live in flat arrays (a chained hash table over a pool of words) rather than one object each: a long or
 * hard history visits millions of points.
 */
class Memo<S> {
  private readonly heads = new Map<number, number>();
  private chain: Int32Array = new Int32Array(1024);
  private offsets: Int32Array = new Int32Array(1024);
  private readonly keys: (string | number)[] = [];
  private readonly states: S[] = [];
  private pool: Uint32Array = new Uint32Array(1 << 14);
  private used = 0;
  size = 0;

  constructor(
    private readonly model: Model<S, unknown, unknown>,
    private readonly unknownWords: number,
    private readonly subsumes: boolean,
  ) {}

  /** Records the point; false if it (or one that subsumes it) was visited before. */
  insert(known: LinearizedSet, unknown: Uint32Array, state: S): boolean {
    const key = this.model.hash(state);
    // A string key is not hashed here (that would read all of it); its length spreads the buckets a little.
    const bucket = (known.hash ^ mix32(typeof key === "number" ? key : key.length + 0x5bd1e995)) >>> 0;
    const equal = this.model.equal;
    for (let e = this.heads.get(bucket) ?? -1; e >= 0; e = this.chain[e] as number) {
      if (this.keys[e] !== key) continue;
      const at = this.offsets[e] as number;
      if (!known.equalsStored(this.pool, at)) continue;
      if (!this.unknownCovered(at + known.storedSize(), unknown)) continue;
      if (equal !== undefined && !equal(this.states[e] as S, state)) continue;
      return false;
    }
    this.add(bucket, key, state, known, unknown);
    return true;
  }

  /** Is the stored unknown set equal to (or, when subsumption is on, a subset of) `unknown`? */
  private unknownCovered(at: number, unknown: Uint32Array): boolean {
    for (let w = 0; w < this.unknownWords; w++) {
      const stored = this.pool[at + w] as number;
      const now = unknown[w] as number;
      if (this.subsumes ? (stored & ~now) !== 0 : stored !== now) return false;
    }
    return true;
  }

  private add(bucket: number, key: string | number, state: S, known: LinearizedSet, unknown: Uint32Array): void {
    const e = this.size++;
    if (e === this.chain.length) {
      this.chain = grow(this.chain, (k) => new Int32Array(k));
      this.offsets = grow(this.offsets, (k) => new Int32Array(k));
    }
    const need = known.storedSize() + this.unknownWords;
    while (this.used + need > this.pool.length) this.pool = grow(this.pool, (k) => new Uint32Array(k));
    known.store(this.pool, this.used);
    this.pool.set(unknown.subarray(0, this.unknownWords), this.used + known.storedSize());
    this.offsets[e] = this.used;
    this.used += need;
    this.keys[e] = key;
    if (this.model.equal !== undefined) this.states[e] = state;
    this.chain[e] = this.heads.get(bucket) ?? -1;
    this.heads.set(bucket, e);
  }
}

/** How many upcoming known calls are tried when looking for the blocked operation. */
const BLOCKED_LOOKAHEAD = 16;

function grow<T extends Int32Array | Uint32Array>(a: T, make: (length: number) => T): T {
  const bigger = make(a.length * 2);
  bigger.set(a);
  return bigger;
}

/**
 * Entries are the operations' calls and returns sorted by time, in a doubly linked list. Walking it from the head,
 * a call may be linearized now if the model allows its output; the operation's call and return then leave the list
 * and the walk restarts. Reaching a return means that operation should have been linearized before it: undo the
 * last choice and try the next call after it. No recursion: the choices live in an explicit stack. Equal times count
 * as overlapping (calls sort before returns), so an operation must precede another only if it returned strictly
 * before the other was called.
 *
 * Operations with an unknown outcome (return Infinity) are tried in a chosen order at each point: first those the
 * model says help the operation that is blocked (the first known operation, in time order, that the state does not
 * allow yet), then the known candidates, then the other unknown ones. So a write that never took effect costs
 * nothing, and one that did is placed just before the read that needs it. Every candidate is still tried once per
 * point, so the search stays complete.
 */
export function searchPartition<S, I, O>(model: Model<S, I, O>, ops: readonly Operation<I, O>[], budget: SearchBudget): SearchOutcome<S> {
  const n = ops.length;
  const HEAD = 2 * n;
  const TAIL = 2 * n + 1;
  const time = (entry: number): number => {
    const op = ops[entry >> 1] as Operation<I, O>;
    return entry & 1 ? op.return : op.call;
  };
  const order = Array.from({ length: 2 * n }, (_, e) => e).sort((a, b) => time(a) - time(b) || (a & 1) - (b & 1) || a - b);
  const next = new Int32Array(2 * n + 2);
  const prev = new Int32Array(2 * n + 2);
  let last = HEAD;
  for (const e of order) {
    next[last] = e;
    prev[e] = last;
    last = e;
  }
  next[last] = TAIL;
  prev[TAIL] = last;
  const unlink = (e: number): void => {
    next[prev[e] as number] = next[e] as number;
    prev[next[e] as number] = prev[e] as number;
  };
  const relink = (e: number): void => {
    next[prev[e] as number] = e;
    prev[next[e] as number] = e;
  };

  // Operations with an unknown outcome get their own bit numbers, in a set of their own.
  const unknownBit = new Int32Array(n).fill(-1);
  let unknownCount = 0;
  ops.forEach((op, i) => {
    if (op.return === Infinity) unknownBit[i] = unknownCount++;
  });
  const unknownSet = new Uint32Array(Math.ceil(unknownCount / 32) + 1);
  const flip = (i: number): void => {
    const b = unknownBit[i] as number;
    unknownSet[b >>> 5] = (unknownSet[b >>> 5] as number) ^ (1 << (b & 31));
  };
  // The model promises unknown outcomes are possible from any state: they may be left for the end.
  const unknownAlwaysPossible = model.outcomeUnknown !== undefined;
  let pendingUnknown = unknownCount;
  let pendingKnown = n - unknownCount;

  const memo = new Memo<S>(model as Model<S, unknown, unknown>, Math.ceil(unknownCount / 32), unknownAlwaysPossible);
  const known = new LinearizedSet(n);
  const stackOps = new Int32Array(n);
  const stackStates: (S | undefined)[] = new Array<S | undefined>(n);
  const stackBlocked = new Int32Array(n);
  let depth = 0;
  let state = model.init();
  let longest: { order: number[]; state: S } = { order: [], state };

  // Each point is walked up to three times, up to its first return: 0 tries unknown operations that help `blocked`,
  // 1 tries known operations, 2 tries the other unknown ones.
  let walk = 1;
  let blocked = -1;
  const helps = (i: number): boolean => {
    const c = ops[i] as Operation<I, O>;
    const b = ops[blocked] as Operation<I, O>;
    if (model.helps !== undefined) return model.helps(state, c.input, c.output, b.input, b.output);
    const after = model.step(state, c.input, c.output);
    return after.ok && model.step(after.next, b.input, b.output).ok;
  };
  const walkOf = (i: number): number => (unknownBit[i] === -1 ? 1 : blocked >= 0 && helps(i) ? 0 : 2);
  /** The first known operation (among the next few calls) that the state does not allow: what unknown ones may be needed for. */
  const findBlocked = (): number => {
    let seen = 0;
    for (let e = next[HEAD] as number; e !== TAIL && seen < BLOCKED_LOOKAHEAD; e = next[e] as number) {
      const i = e >> 1;
      if (e & 1 || unknownBit[i] !== -1) continue;
      seen++;
      const op = ops[i] as Operation<I, O>;
      if (!model.step(state, op.input, op.output).ok) return i;
    }
    return -1;
  };
  const arrive = (): void => {
    blocked = pendingUnknown > 0 ? findBlocked() : -1;
    walk = blocked >= 0 ? 0 : 1;
    entry = next[HEAD] as number;
  };

  let entry = next[HEAD] as number;
  arrive();
  while (entry !== TAIL && !(unknownAlwaysPossible && pendingKnown === 0)) {
    const stop = budget.exhausted();
    if (stop !== undefined) return { verdict: "unknown", explored: memo.size, stoppedBy: stop };
    if ((entry & 1) === 0) {
      const i = entry >> 1;
      const isUnknown = unknownBit[i] !== -1;
      if ((walk === 1) === isUnknown || (isUnknown && walkOf(i) !== walk)) {
        entry = next[entry] as number;
        continue;
      }
      const op = ops[i] as Operation<I, O>;
      const result = model.step(state, op.input, op.output);
      if (result.ok) {
        if (isUnknown) flip(i);
        else known.add(i);
        if (memo.insert(known, unknownSet, result.next)) {
          budget.explored++;
          stackOps[depth] = i;
          stackStates[depth] = state;
          stackBlocked[depth] = blocked;
          depth++;
          if (isUnknown) pendingUnknown--;
          else pendingKnown--;
          state = result.next;
          unlink(2 * i);
          unlink(2 * i + 1);
          arrive();
          continue;
        }
        if (isUnknown) flip(i);
        else known.delete(i);
      }
      entry = next[entry] as number;
    } else if (walk === 0 || (walk === 1 && pendingUnknown > 0)) {
      walk++;
      entry = next[HEAD] as number;
    } else {
      // Undoing a choice: the stack is at a local maximum, so this is where the longest linearization shows up.
      if (depth > longest.order.length) longest = { order: Array.from(stackOps.subarray(0, depth)), state };
      if (depth === 0) return { verdict: "illegal", explored: memo.size, longest };
      depth--;
      const i = stackOps[depth] as number;
      state = stackStates[depth] as S;
      stackStates[depth] = undefined;
      blocked = stackBlocked[depth] as number;
      if (unknownBit[i] !== -1) {
        flip(i);
        pendingUnknown++;
      } else {
        known.delete(i);
        pendingKnown++;
      }
      relink(2 * i + 1);
      relink(2 * i);
      walk = walkOf(i);
      entry = next[2 * i] as number;
    }
  }
  return { verdict: "ok", explored: memo.size };
}
