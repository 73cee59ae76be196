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
 * States are numbered as they are first seen (by the model's hash), so an entry compares a number, not a state.
 * Entries live in flat typed arrays (an open hash table of chains over a pool of words), not one object each: a
 * long or hard history visits millions of points.
 */
class Memo<S> {
  private readonly stateIds = new Map<string | number, number>();
  private readonly states: S[] = [];
  private model!: Model<S, unknown, unknown>;
  private unknownWords = 0;
  private subsumes = false;
  // Small at first: most partitions of a history are small.
  private heads = new Int32Array(16).fill(-1);
  private mask = 15;
  private chain = new Int32Array(16);
  private hashes = new Int32Array(16);
  private stateOf = new Int32Array(16);
  private offsets = new Int32Array(16);
  private pool = new Uint32Array(64);
  private used = 0;
  size = 0;

  /** Forgets every point, for a new partition. */
  reset(model: Model<S, unknown, unknown>, unknownWords: number, subsumes: boolean): void {
    this.model = model;
    this.unknownWords = unknownWords;
    this.subsumes = subsumes;
    if (this.size > 0) {
      if (this.mask > 1023) {
        this.mask = 1023;
        this.heads = new Int32Array(1024);
      }
      this.heads.fill(-1);
    }
    if (this.states.length > 0) {
      this.stateIds.clear();
      this.states.length = 0;
    }
    this.size = 0;
    this.used = 0;
  }

  /** A small number for the state; states the model's hash (and `equal`, when given) calls the same get the same one. */
  private stateId(state: S): number {
    const key = this.model.hash(state);
    let id = this.stateIds.get(key);
    if (id === undefined) {
      id = this.states.length;
      this.stateIds.set(key, id);
      this.states.push(state);
      return id;
    }
    const equal = this.model.equal;
    if (equal !== undefined && !equal(this.states[id] as S, state)) {
      // Two states the hash cannot tell apart: find (or give) the exact one a number of its own, chained by key.
      for (let other = id; ; ) {
        const next = this.stateIds.get(`${String(key)}\u0000${other}`);
        if (next === undefined) {
          const fresh = this.states.length;
          this.stateIds.set(`${String(key)}\u0000${other}`, fresh);
          this.states.push(state);
          return fresh;
        }
        if (equal(this.states[next] as S, state)) return next;
        other = next;
      }
    }
    return id;
  }

  /** Records the point; false if it (or one that subsumes it) was visited before. */
  insert(known: LinearizedSet, unknown: Uint32Array, state: S): boolean {
    const sid = this.stateId(state);
    const hash = (known.hash ^ mix32(sid + 0x5bd1e995)) | 0;
    const storedSize = known.storedSize();
    for (let e = this.heads[hash & this.mask] as number; e >= 0; e = this.chain[e] as number) {
      if (this.hashes[e] !== hash || this.stateOf[e] !== sid) continue;
      const at = this.offsets[e] as number;
      if (!known.equalsStored(this.pool, at)) continue;
      if (this.unknownWords > 0 && !this.unknownCovered(at + storedSize, unknown)) continue;
      return false;
    }
    this.add(hash, sid, known, unknown, storedSize);
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

  private add(hash: number, sid: number, known: LinearizedSet, unknown: Uint32Array, storedSize: number): void {
    const e = this.size++;
    if (e === this.chain.length) {
      this.chain = grow(this.chain);
      this.hashes = grow(this.hashes);
      this.stateOf = grow(this.stateOf);
      this.offsets = grow(this.offsets);
    }
    const need = storedSize + this.unknownWords;
    while (this.used + need > this.pool.length) this.pool = grow(this.pool);
    known.store(this.pool, this.used);
    if (this.unknownWords > 0) this.pool.set(unknown.subarray(0, this.unknownWords), this.used + storedSize);
    this.offsets[e] = this.used;
    this.used += need;
    this.hashes[e] = hash;
    this.stateOf[e] = sid;
    this.chain[e] = this.heads[hash & this.mask] as number;
    this.heads[hash & this.mask] = e;
    if (this.size > this.mask) this.rehash();
  }

  /** Doubles the table of chain heads once it holds as many entries as buckets. */
  private rehash(): void {
    this.mask = this.mask * 2 + 1;
    this.heads = new Int32Array(this.mask + 1).fill(-1);
    for (let e = 0; e < this.size; e++) {
      const b = (this.hashes[e] as number) & this.mask;
      this.chain[e] = this.heads[b] as number;
      this.heads[b] = e;
    }
  }
}

/** How many upcoming known calls are tried when looking for the blocked operation. */
const BLOCKED_LOOKAHEAD = 16;

function grow<T extends Int32Array | Uint32Array>(a: T): T {
  const bigger = new (a.constructor as new (length: number) => T)(a.length * 2);
  bigger.set(a);
  return bigger;
}

/**
 * Buffers for searching one partition after another, reused so that a history of many small partitions (one per
 * key) does not allocate a fresh set of arrays for each. Sized for the largest partition seen so far.
 */
export class SearchWorkspace {
  capacity = -1;
  callAt = new Float64Array(0);
  returnAt = new Float64Array(0);
  unknownBit = new Int32Array(0);
  readOnly = new Uint8Array(0);
  next = new Int32Array(0);
  prev = new Int32Array(0);
  entries = new Int32Array(0);
  knownOps = new Int32Array(0);
  byRank = new Int32Array(0);
  rank = new Int32Array(0);
  unext = new Int32Array(0);
  uprev = new Int32Array(0);
  unknownOps = new Int32Array(0);
  stackOps = new Int32Array(0);
  stackBlocked = new Int32Array(0);
  stackPos = new Int32Array(0);
  stackWalk = new Uint8Array(0);
  stackLimit = new Float64Array(0);
  segmentStart = new Int32Array(0);
  segmentEnd = new Int32Array(0);
  candidates = new Int32Array(32);
  verdicts = new Uint8Array(32);
  known = new LinearizedSet(0);
  readonly memo = new Memo<unknown>();
  /** Orders entries (2i: call of i, 2i + 1: its return) by time, calls before returns at equal times. */
  readonly byTime = (a: number, b: number): number => this.time(a) - this.time(b) || (a & 1) - (b & 1) || a - b;
  readonly byCall = (a: number, b: number): number => (this.callAt[a] as number) - (this.callAt[b] as number) || a - b;
  /** Return, then call: the operation that returned first most likely took effect first. */
  readonly byReturn = (a: number, b: number): number => (this.returnAt[a] as number) - (this.returnAt[b] as number) || (this.callAt[a] as number) - (this.callAt[b] as number) || a - b;

  private time(e: number): number {
    return e & 1 ? (this.returnAt[e >> 1] as number) : (this.callAt[e >> 1] as number);
  }

  /** Makes room for a partition of n operations. */
  reserve(n: number): void {
    if (n <= this.capacity) return;
    const c = Math.max(n, 2 * this.capacity, 16);
    this.capacity = c;
    this.callAt = new Float64Array(c);
    this.returnAt = new Float64Array(c);
    this.unknownBit = new Int32Array(c);
    this.readOnly = new Uint8Array(c);
    this.next = new Int32Array(2 * c + 2);
    this.prev = new Int32Array(2 * c + 2);
    this.entries = new Int32Array(2 * c);
    this.knownOps = new Int32Array(c);
    this.byRank = new Int32Array(c);
    this.rank = new Int32Array(c);
    this.unext = new Int32Array(c + 2);
    this.uprev = new Int32Array(c + 2);
    this.unknownOps = new Int32Array(c);
    this.stackOps = new Int32Array(c + 1);
    this.stackBlocked = new Int32Array(c + 1);
    this.stackPos = new Int32Array(c + 1);
    this.stackWalk = new Uint8Array(c + 1);
    this.stackLimit = new Float64Array(c + 1);
    this.segmentStart = new Int32Array(c + 2);
    this.segmentEnd = new Int32Array(c + 2);
    this.known = new LinearizedSet(c);
  }
}

// The walks over a point's candidates (see searchPartition): known candidates go in one walk per priority.
const WALK_HELPS = 0;
const WALK_FORCED = 1;
const WALK_UNKNOWN = 2;
const WALK_DONE = 3;
const WALK_KNOWN = 4;
const PRIORITIES = 4;
/** A candidate's verdict: refused, or allowed with a priority (0 first) from VERDICT_PRIORITY on. */
const VERDICT_REFUSED = 2;
const VERDICT_PRIORITY = 4;

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
 * One rule removes most of the choices: a candidate with a known outcome that the model calls read-only (it never
 * changes the state: a read, a compare-and-set that failed) and allows now is linearized at once, with no
 * alternative tried at that point. Nothing is lost: given any linearization from this point, moving that operation
 * to the front keeps every step legal (it changes no state where it was, nor here) and respects real time (no
 * remaining operation returned before its call, since it is a candidate). So if linearizing it first fails, the
 * point fails. The rule needs "never changes the state", not "does not change it now": a write of the current
 * value may be needed later, after another write.
 *
 * Otherwise the candidates are tried in four walks, an order that finds a linearization of a correct history
 * quickly: unknown ones that the model says help the blocked operation (the first known one, in time order, that
 * the state does not allow yet); known ones after which the operation that returns first is allowed (when it is not
 * allowed yet); the other known ones; the other unknown ones. Known operations go in order of return (the one that
 * returned first most likely took effect first). So a write that never took effect costs nothing and one that did is
 * placed just before the read that needs it. Every candidate is still tried once per point, so the search stays
 * complete.
 */
export function searchPartition<S, I, O>(model: Model<S, I, O>, ops: readonly Operation<I, O>[], budget: SearchBudget, ws = new SearchWorkspace()): SearchOutcome<S> {
  const n = ops.length;
  ws.reserve(n);
  const inputs: I[] = new Array<I>(n);
  const outputs: O[] = new Array<O>(n);
  const { callAt, returnAt, unknownBit, readOnly } = ws;
  let unknownCount = 0;
  for (let i = 0; i < n; i++) {
    const op = ops[i] as Operation<I, O>;
    inputs[i] = op.input;
    outputs[i] = op.output;
    callAt[i] = op.call;
    returnAt[i] = op.return;
    unknownBit[i] = op.return === Infinity ? unknownCount++ : -1;
    readOnly[i] = op.return !== Infinity && model.readOnly?.(op.input, op.output) === true ? 1 : 0;
  }
  const knownCount = n - unknownCount;

  // The list of known calls (entry 2i) and returns (2i + 1) in time order.
  const HEAD = 2 * n;
  const TAIL = 2 * n + 1;
  const { next, prev, knownOps } = ws;
  const entries = ws.entries.subarray(0, 2 * knownCount);
  for (let i = 0, k = 0; i < n; i++) {
    if (unknownBit[i] !== -1) continue;
    knownOps[k >> 1] = i;
    entries[k++] = 2 * i;
    entries[k++] = 2 * i + 1;
  }
  entries.sort(ws.byTime);
  link(next, prev, HEAD, TAIL, entries);
  // The list of unknown operations in call order.
  const UHEAD = n;
  const UTAIL = n + 1;
  const { unext, uprev } = ws;
  const unknownOps = ws.unknownOps.subarray(0, unknownCount);
  for (let i = 0, k = 0; i < n; i++) if (unknownBit[i] !== -1) unknownOps[k++] = i;
  unknownOps.sort(ws.byCall);
  link(unext, uprev, UHEAD, UTAIL, unknownOps);
  // Known operations ranked by return, then call: a point's candidates are tried in rank order.
  const byRank = ws.byRank;
  byRank.set(knownOps.subarray(0, knownCount));
  byRank.subarray(0, knownCount).sort(ws.byReturn);
  const rank = ws.rank;
  for (let r = 0; r < knownCount; r++) rank[byRank[r] as number] = r;

  const unknownSet = new Uint32Array((unknownCount >>> 5) + 1);
  const flip = (i: number): void => {
    const b = unknownBit[i] as number;
    unknownSet[b >>> 5] = (unknownSet[b >>> 5] as number) ^ (1 << (b & 31));
  };
  // The model promises unknown outcomes are possible from any state: they may be left for the end.
  const unknownAlwaysPossible = model.outcomeUnknown !== undefined;
  let pendingUnknown = unknownCount;
  let pendingKnown = knownCount;

  const memo = ws.memo as Memo<S>;
  memo.reset(model as Model<S, unknown, unknown>, unknownCount === 0 ? 0 : (unknownCount >>> 5) + 1, unknownAlwaysPossible);
  const known = ws.known;
  known.reset(n);
  // The stack of choices, and per level where the walk at that point had got to.
  const { stackOps, stackBlocked, stackWalk, stackPos, stackLimit } = ws;
  const stackStates: (S | undefined)[] = [];
  // The candidates of every point on the stack (ranks, in rank order), one segment per level, with the model's
  // verdict on each (refused, or allowed with a priority) and the state it leads to.
  let { candidates, verdicts } = ws;
  const nextStates: (S | undefined)[] = [];
  const { segmentStart, segmentEnd } = ws;
  let used = 0;
  let depth = 0;
  let state = model.init();

  // The longest linearization so far, and how much of it the stack still shares.
  const bestOrder: number[] = [];
  let bestState = state;
  let longestKnown = -1;
  let agree = 0;

  // Where the current point is: its walk, the position in it, the blocked operation, and the first return's time.
  let walk: number = WALK_KNOWN;
  let pos = 0;
  let blocked = -1;
  let limit = Infinity;
  const helpsBlocked = (i: number): boolean => {
    if (blocked < 0) return false;
    if (model.helps !== undefined) return model.helps(state, inputs[i] as I, outputs[i] as O, inputs[blocked] as I, outputs[blocked] as O);
    const after = model.step(state, inputs[i] as I, outputs[i] as O);
    return after.ok && model.step(after.next, inputs[blocked] as I, outputs[blocked] as O).ok;
  };
  /** The first known operation (among the next few calls) that the state does not allow: what unknown ones may be needed for. */
  const findBlocked = (): number => {
    let seen = 0;
    for (let e = next[HEAD] as number; e !== TAIL && seen < BLOCKED_LOOKAHEAD; e = next[e] as number) {
      if (e & 1) continue;
      seen++;
      const i = e >> 1;
      if (!model.step(state, inputs[i] as I, outputs[i] as O).ok) return i;
    }
    return -1;
  };
  /** Gathers the candidates of the point just reached, asks the model about each, and picks the first walk. */
  const arrive = (): void => {
    const start = used;
    segmentStart[depth] = start;
    let e = next[HEAD] as number;
    for (; e !== TAIL && (e & 1) === 0; e = next[e] as number) {
      if (used === candidates.length) {
        candidates = ws.candidates = grow(candidates);
        const v = new Uint8Array(verdicts.length * 2);
        v.set(verdicts);
        verdicts = ws.verdicts = v;
      }
      // Insertion into rank order: the list is in call order, which is nearly rank order.
      const r = rank[e >> 1] as number;
      let k = used++;
      while (k > start && (candidates[k - 1] as number) > r) {
        candidates[k] = candidates[k - 1] as number;
        k--;
      }
      candidates[k] = r;
    }
    segmentEnd[depth] = used;
    limit = e === TAIL ? Infinity : (returnAt[e >> 1] as number);
    // A candidate the model allows without changing the state is taken at once (the rule above).
    walk = -1;
    for (let k = start; k < used; k++) {
      const i = byRank[candidates[k] as number] as number;
      const result = model.step(state, inputs[i] as I, outputs[i] as O);
      verdicts[k] = result.ok ? 1 : VERDICT_REFUSED;
      nextStates[k] = result.next;
      if (result.ok && walk < 0 && readOnly[i] === 1) {
        walk = WALK_FORCED;
        pos = k;
      }
    }
    if (walk >= 0) return;
    // Which allowed candidates go first: those after which the operation that returns first is allowed, when it is
    // not allowed yet (it must be linearized before anything called after its return), and those after which every
    // other allowed candidate is still allowed (a write placed too early can make a compare-and-set impossible
    // for good, which the search would otherwise find out only much later).
    const first = e !== TAIL ? e >> 1 : -1;
    const guide = first >= 0 && !model.step(state, inputs[first] as I, outputs[first] as O).ok;
    for (let k = start; k < used; k++) {
      if (verdicts[k] !== 1) continue;
      const after = nextStates[k] as S;
      let priority = guide && model.step(after, inputs[first] as I, outputs[first] as O).ok ? 0 : 2;
      for (let m = start; m < used; m++) {
        if (m === k || verdicts[m] === VERDICT_REFUSED) continue;
        const other = byRank[candidates[m] as number] as number;
        if (!model.step(after, inputs[other] as I, outputs[other] as O).ok) {
          priority++;
          break;
        }
      }
      verdicts[k] = VERDICT_PRIORITY + priority;
    }
    blocked = pendingUnknown > 0 ? findBlocked() : -1;
    walk = blocked >= 0 ? WALK_HELPS : WALK_KNOWN;
    pos = walk === WALK_HELPS ? (unext[UHEAD] as number) : start;
  };

  arrive();
  for (;;) {
    if (pendingKnown === 0 && (unknownAlwaysPossible || pendingUnknown === 0)) return { verdict: "ok", explored: memo.size };
    const stop = budget.exhausted();
    if (stop !== undefined) return { verdict: "unknown", explored: memo.size, stoppedBy: stop };
    // The next candidate of this walk, or the next walk, or undo.
    let i = -1;
    let after: S | undefined;
    if (walk === WALK_FORCED) {
      i = byRank[candidates[pos] as number] as number;
      after = nextStates[pos] as S;
      walk = WALK_DONE;
    } else if (walk >= WALK_KNOWN && walk < WALK_KNOWN + PRIORITIES) {
      if (pos < (segmentEnd[depth] as number)) {
        const k = pos++;
        if (verdicts[k] !== VERDICT_PRIORITY + walk - WALK_KNOWN) continue;
        i = byRank[candidates[k] as number] as number;
        after = nextStates[k] as S;
      } else if (walk + 1 < WALK_KNOWN + PRIORITIES) {
        walk++;
        pos = segmentStart[depth] as number;
        continue;
      } else if (pendingUnknown > 0) {
        walk = WALK_UNKNOWN;
        pos = unext[UHEAD] as number;
        continue;
      } else walk = WALK_DONE;
    } else if (walk === WALK_HELPS || walk === WALK_UNKNOWN) {
      if (pos !== UTAIL && (callAt[pos] as number) <= limit) {
        i = pos;
        pos = unext[pos] as number;
        if (helpsBlocked(i) !== (walk === WALK_HELPS)) continue;
        const result = model.step(state, inputs[i] as I, outputs[i] as O);
        if (!result.ok) continue;
        after = result.next;
      } else if (walk === WALK_HELPS) {
        walk = WALK_KNOWN;
        pos = segmentStart[depth] as number;
        continue;
      } else walk = WALK_DONE;
    }

    if (i >= 0) {
      const isUnknown = unknownBit[i] !== -1;
      if (isUnknown) flip(i);
      else known.add(i);
      if (!memo.insert(known, unknownSet, after as S)) {
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
      state = after as S;
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
    for (let k = segmentStart[depth] as number; k < used; k++) nextStates[k] = undefined;
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
function link(next: Int32Array, prev: Int32Array, head: number, tail: number, items: ArrayLike<number>): void {
  let last = head;
  for (let k = 0; k < items.length; k++) {
    const e = items[k] as number;
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
