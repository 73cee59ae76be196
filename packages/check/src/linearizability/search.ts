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
 * Wing & Gong's search with Lowe's just-in-time rule. The calls and returns of operations with a known outcome are
 * kept in time order in a doubly linked list; the candidates at a point are the calls before the first return (an
 * operation that returned must be linearized before anything called after it). Linearizing a candidate the model
 * allows unlinks its call and return and moves to a new point; a point with no candidate left undoes the last
 * choice. No recursion: the choices live in an explicit stack. Equal times count as overlapping (calls sort before
 * returns), so an operation must precede another only if it returned strictly before the other was called.
 *
 * Operations with an unknown outcome (return Infinity) never return, so they never bound anything: they sit in a
 * list of their own and are candidates at every point after their call.
 *
 * The candidates of a point are tried in four walks, an order that finds a linearization of a correct history
 * quickly: (0) unknown ones that the model says help the blocked operation (the first known one, in time order,
 * that the state does not allow yet); (1) known ones that leave the state as it is, such as reads that still see
 * what they saw; (2) the other known ones; (3) the other unknown ones. Within a walk, known operations go in order
 * of return (the one that returned first most likely took effect first). So a write that never took effect costs
 * nothing, one that did is placed just before the read that needs it, and a read goes before a concurrent write can
 * spoil it. Every candidate is still tried once per point, so the search stays complete.
 */
export function searchPartition<S, I, O>(model: Model<S, I, O>, ops: readonly Operation<I, O>[], budget: SearchBudget): SearchOutcome<S> {
  const n = ops.length;
  const unknownBit = new Int32Array(n).fill(-1);
  const knownOps: number[] = [];
  const unknownOps: number[] = [];
  ops.forEach((op, i) => {
    if (op.return === Infinity) unknownBit[i] = unknownOps.push(i) - 1;
    else knownOps.push(i);
  });
  const knownCount = knownOps.length;
  const unknownCount = unknownOps.length;

  // The list of known calls (entry 2i) and returns (2i + 1) in time order.
  const HEAD = 2 * n;
  const TAIL = 2 * n + 1;
  const time = (entry: number): number => {
    const op = ops[entry >> 1] as Operation<I, O>;
    return entry & 1 ? op.return : op.call;
  };
  const next = new Int32Array(2 * n + 2);
  const prev = new Int32Array(2 * n + 2);
  link(
    next,
    prev,
    HEAD,
    TAIL,
    knownOps.flatMap((i) => [2 * i, 2 * i + 1]).sort((a, b) => time(a) - time(b) || (a & 1) - (b & 1) || a - b),
  );
  // The list of unknown operations in call order.
  const UHEAD = n;
  const UTAIL = n + 1;
  const unext = new Int32Array(n + 2);
  const uprev = new Int32Array(n + 2);
  link(unext, uprev, UHEAD, UTAIL, [...unknownOps].sort((a, b) => (ops[a] as Operation<I, O>).call - (ops[b] as Operation<I, O>).call || a - b));
  // Known operations ranked by return, then call: a point's candidates are sorted by rank.
  const byRank = [...knownOps].sort((a, b) => (ops[a] as Operation<I, O>).return - (ops[b] as Operation<I, O>).return || (ops[a] as Operation<I, O>).call - (ops[b] as Operation<I, O>).call || a - b);
  const rank = new Int32Array(n);
  byRank.forEach((i, r) => (rank[i] = r));

  const unknownSet = new Uint32Array(Math.ceil(unknownCount / 32) + 1);
  const flip = (i: number): void => {
    const b = unknownBit[i] as number;
    unknownSet[b >>> 5] = (unknownSet[b >>> 5] as number) ^ (1 << (b & 31));
  };
  // The model promises unknown outcomes are possible from any state: they may be left for the end.
  const unknownAlwaysPossible = model.outcomeUnknown !== undefined;
  let pendingUnknown = unknownCount;
  let pendingKnown = knownCount;

  const memo = new Memo<S>(model as Model<S, unknown, unknown>, Math.ceil(unknownCount / 32), unknownAlwaysPossible);
  const known = new LinearizedSet(n);
  // The stack of choices, and per level where the walk at that point had got to.
  const stackOps = new Int32Array(n + 1);
  const stackStates: (S | undefined)[] = new Array<S | undefined>(n + 1);
  const stackBlocked = new Int32Array(n + 1);
  const stackWalk = new Uint8Array(n + 1);
  const stackPos = new Int32Array(n + 1);
  const stackLimit = new Float64Array(n + 1);
  // Candidate ranks of every point on the stack, one segment per level.
  let candidates = new Int32Array(1024);
  const segmentStart = new Int32Array(n + 2);
  const segmentEnd = new Int32Array(n + 2);
  let used = 0;
  let depth = 0;
  let state = model.init();

  // The longest linearization so far, and how much of it the stack still shares.
  const bestOrder: number[] = [];
  let bestState = state;
  let longestKnown = -1;
  let agree = 0;

  // Where the current point is: its walk, the position in it, the blocked operation, and the first return's time.
  let walk = 1;
  let pos = 0;
  let blocked = -1;
  let limit = Infinity;
  const unchanged = (after: S): boolean => model.hash(after) === model.hash(state) && (model.equal === undefined || model.equal(after, state));
  const helpsBlocked = (i: number): boolean => {
    if (blocked < 0) return false;
    const c = ops[i] as Operation<I, O>;
    const b = ops[blocked] as Operation<I, O>;
    if (model.helps !== undefined) return model.helps(state, c.input, c.output, b.input, b.output);
    const after = model.step(state, c.input, c.output);
    return after.ok && model.step(after.next, b.input, b.output).ok;
  };
  /** The first known operation (among the next few calls) that the state does not allow: what unknown ones may be needed for. */
  const findBlocked = (): number => {
    let seen = 0;
    for (let e = next[HEAD] as number; e !== TAIL && seen < BLOCKED_LOOKAHEAD; e = next[e] as number) {
      if (e & 1) continue;
      seen++;
      const op = ops[e >> 1] as Operation<I, O>;
      if (!model.step(state, op.input, op.output).ok) return e >> 1;
    }
    return -1;
  };
  const arrive = (): void => {
    segmentStart[depth] = used;
    let e = next[HEAD] as number;
    for (; e !== TAIL && (e & 1) === 0; e = next[e] as number) {
      if (used === candidates.length) candidates = grow(candidates, (k) => new Int32Array(k));
      candidates[used++] = rank[e >> 1] as number;
    }
    segmentEnd[depth] = used;
    candidates.subarray(segmentStart[depth], used).sort();
    limit = e === TAIL ? Infinity : (ops[e >> 1] as Operation<I, O>).return;
    blocked = pendingUnknown > 0 ? findBlocked() : -1;
    walk = blocked >= 0 ? 0 : 1;
    pos = walk === 0 ? (unext[UHEAD] as number) : (segmentStart[depth] as number);
  };

  arrive();
  for (;;) {
    if (pendingKnown === 0 && (unknownAlwaysPossible || pendingUnknown === 0)) return { verdict: "ok", explored: memo.size };
    const stop = budget.exhausted();
    if (stop !== undefined) return { verdict: "unknown", explored: memo.size, stoppedBy: stop };
    // The next candidate of this walk, or the next walk, or undo.
    let i = -1;
    if (walk === 0 || walk === 3) {
      if (pos !== UTAIL && (ops[pos] as Operation<I, O>).call <= limit) {
        i = pos;
        pos = unext[pos] as number;
        if (helpsBlocked(i) !== (walk === 0)) continue;
      } else if (walk === 0) {
        walk = 1;
        pos = segmentStart[depth] as number;
        continue;
      }
    } else if (pos < (segmentEnd[depth] as number)) {
      i = byRank[candidates[pos++] as number] as number;
    } else if (walk === 1) {
      walk = 2;
      pos = segmentStart[depth] as number;
      continue;
    } else if (pendingUnknown > 0) {
      walk = 3;
      pos = unext[UHEAD] as number;
      continue;
    }

    if (i >= 0) {
      const op = ops[i] as Operation<I, O>;
      const result = model.step(state, op.input, op.output);
      if (!result.ok || ((walk === 1 || walk === 2) && unchanged(result.next) !== (walk === 1))) continue;
      const isUnknown = walk === 0 || walk === 3;
      if (isUnknown) flip(i);
      else known.add(i);
      if (!memo.insert(known, unknownSet, result.next)) {
        if (isUnknown) flip(i);
        else known.delete(i);
        continue;
      }
      budget.explored++;
      stackOps[depth] = i;
      stackStates[depth] = state;
      stackBlocked[depth] = blocked;
      stackWalk[depth] = walk;
      stackPos[depth] = pos;
      stackLimit[depth] = limit;
      depth++;
      state = result.next;
      if (isUnknown) {
        pendingUnknown--;
        unlink(unext, uprev, i);
      } else {
        pendingKnown--;
        unlink(next, prev, 2 * i);
        unlink(next, prev, 2 * i + 1);
      }
      arrive();
      continue;
    }

    // No candidate left at this point. Every point is undone before the search gives up, so the longest
    // linearization is seen here. Longest means most operations with a known outcome: the memo may prune a point
    // that only adds unknown ones. The copy is brought up to date from where it still agrees with the stack, so
    // recording costs O(1) amortised.
    const placedKnown = knownCount - pendingKnown;
    if (placedKnown > longestKnown) {
      for (let k = agree; k < depth; k++) bestOrder[k] = stackOps[k] as number;
      bestOrder.length = depth;
      agree = depth;
      bestState = state;
      longestKnown = placedKnown;
    }
    if (depth === 0) return { verdict: "illegal", explored: memo.size, longest: { order: bestOrder, state: bestState } };
    used = segmentStart[depth] as number;
    depth--;
    agree = Math.min(agree, depth);
    const j = stackOps[depth] as number;
    state = stackStates[depth] as S;
    stackStates[depth] = undefined;
    blocked = stackBlocked[depth] as number;
    walk = stackWalk[depth] as number;
    pos = stackPos[depth] as number;
    limit = stackLimit[depth] as number;
    if (unknownBit[j] !== -1) {
      flip(j);
      pendingUnknown++;
      relink(unext, uprev, j);
    } else {
      known.delete(j);
      pendingKnown++;
      relink(next, prev, 2 * j + 1);
      relink(next, prev, 2 * j);
    }
  }
}

/** Builds a doubly linked list of `items` between two sentinels. */
function link(next: Int32Array, prev: Int32Array, head: number, tail: number, items: readonly number[]): void {
  let last = head;
  for (const e of items) {
    next[last] = e;
    prev[e] = last;
    last = e;
  }
  next[last] = tail;
  prev[tail] = last;
}

function unlink(next: Int32Array, prev: Int32Array, e: number): void {
  next[prev[e] as number] = next[e] as number;
  prev[next[e] as number] = prev[e] as number;
}

/** Puts back an entry unlinked last (dancing links: undo in reverse order). */
function relink(next: Int32Array, prev: Int32Array, e: number): void {
  next[prev[e] as number] = e;
  prev[next[e] as number] = e;
}
