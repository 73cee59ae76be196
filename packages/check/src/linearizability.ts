// A linearizability checker for key-value histories (puts, appends, gets), in the style of Wing & Gong with memoisation.

import type { RequestRecord } from "@course/sim";

/** One operation of a history. A write with `done: false` may or may not have taken effect (no answer, or an error). */
export interface KvOperation {
  readonly id: number;
  readonly key: string;
  readonly kind: "put" | "append" | "get";
  /** The value written, or for a get the value read (null: key absent). */
  readonly value: string | null;
  readonly invokedAt: number;
  /** When the answer arrived; Infinity when it never did. */
  readonly returnedAt: number;
  readonly done: boolean;
}

export interface LinearizabilityResult {
  readonly ok: boolean;
  /** The key whose history has no valid order, with its operations. */
  readonly key?: string;
  readonly operations?: readonly KvOperation[];
  /** Search effort, for tuning: states explored. */
  readonly explored: number;
}

interface Op {
  readonly id?: unknown;
  readonly type?: unknown;
  readonly key?: unknown;
  readonly value?: unknown;
  readonly seq?: unknown;
}

/**
 * Turns the simulator's request log into operations. Retries of one session command (same client and seq) are
 * one logical write: it takes effect at most once, somewhere between its first invocation and its first
 * successful answer. Gets count only when answered successfully; "x=1" strings are puts.
 */
export function kvHistory(requests: readonly RequestRecord[]): KvOperation[] {
  const writes = new Map<string, { key: string; kind: "put" | "append"; value: string; invokedAt: number; returnedAt: number; done: boolean; id: number }>();
  const out: KvOperation[] = [];
  for (const r of requests) {
    const raw = r.request.op;
    const op: Op = typeof raw === "string" ? parseAssignment(raw) : ((raw ?? {}) as Op);
    const result = r.result as { ok?: boolean; value?: string | null; error?: string } | undefined;
    const ok = result?.ok === true;
    // A refusal (anything but "lost-leadership") means this attempt was never executed.
    const refused = result !== undefined && !ok && result.error !== "lost-leadership";
    if (op.type === "get" && typeof op.key === "string") {
      if (ok && r.replyAt !== undefined) out.push({ id: r.request.id, key: op.key, kind: "get", value: result?.value ?? null, invokedAt: r.invokedAt, returnedAt: r.replyAt, done: true });
      continue;
    }
    if ((op.type !== "put" && op.type !== "append") || typeof op.key !== "string" || typeof op.value !== "string") continue;
    const session = op.seq === undefined ? `request:${r.request.id}` : `${r.request.client}:${String(op.seq)}`;
    if (refused) continue;
    const w = writes.get(session) ?? { key: op.key, kind: op.type, value: op.value, invokedAt: r.invokedAt, returnedAt: Infinity, done: false, id: r.request.id };
    w.invokedAt = Math.min(w.invokedAt, r.invokedAt);
    if (ok && r.replyAt !== undefined && r.replyAt < w.returnedAt) {
      w.returnedAt = r.replyAt;
      w.done = true;
    }
    writes.set(session, w);
  }
  for (const w of writes.values()) out.push({ ...w });
  return out;
}

function parseAssignment(text: string): Op {
  const m = /^([^=]+)=(.*)$/.exec(text);
  return m ? { type: "put", key: m[1], value: m[2] } : {};
}

/** Checks every key separately (linearizability is compositional, Herlihy & Wing §3.3). */
export function checkLinearizable(history: readonly KvOperation[], options: { maxExplored?: number } = {}): LinearizabilityResult {
  const byKey = new Map<string, KvOperation[]>();
  for (const op of history) byKey.set(op.key, [...(byKey.get(op.key) ?? []), op]);
  let explored = 0;
  for (const [key, ops] of byKey) {
    const r = checkAppendOnlyKey(ops) ?? checkKey(ops, options.maxExplored ?? 2_000_000);
    explored += r.explored;
    if (!r.ok) return { ok: false, key, operations: ops, explored };
  }
  return { ok: true, explored };
}

/**
 * Fast path for a key written only by appends of distinct, prefix-free values (unique tokens such as "7;"). Every
 * read then names exactly which appends happened and in which order, so the order of versions is known: append
 * at position p, then the reads that saw p appends. The history is linearizable if and only if every read is a
 * prefix of one final sequence made of real appends (each at most once), and no operation placed later in that
 * order returned before an earlier-placed one was invoked. Returns undefined when the key does not qualify.
 */
function checkAppendOnlyKey(ops: readonly KvOperation[]): { ok: boolean; explored: number } | undefined {
  const appends = ops.filter((o) => o.kind === "append");
  if (appends.length + ops.filter((o) => o.kind === "get").length !== ops.length) return undefined;
  const byValue = new Map<string, KvOperation>();
  for (const a of appends) {
    const v = a.value ?? "";
    if (v === "" || byValue.has(v)) return undefined;
    byValue.set(v, a);
  }
  const values = [...byValue.keys()];
  if (values.some((v) => values.some((w) => w !== v && w.startsWith(v)))) return undefined;
  const reads = ops.filter((o) => o.kind === "get");
  const longest = reads.reduce<string>((best, r) => ((r.value ?? "").length > best.length ? (r.value ?? "") : best), "");
  // Parse the longest read into appends; prefix-freeness makes the parse unique.
  const sequence: KvOperation[] = [];
  const ends: number[] = [];
  for (let at = 0; at < longest.length; ) {
    const a = values.find((v) => longest.startsWith(v, at));
    if (a === undefined) return { ok: false, explored: 0 };
    const op = byValue.get(a) as KvOperation;
    if (sequence.includes(op)) return { ok: false, explored: 0 };
    sequence.push(op);
    at += a.length;
    ends.push(at);
  }
  const slot = new Map<KvOperation, number>();
  sequence.forEach((a, p) => slot.set(a, 2 * p + 1));
  for (const r of reads) {
    const v = r.value ?? "";
    if (!longest.startsWith(v)) return { ok: false, explored: 0 };
    const len = v.length === 0 ? 0 : ends.indexOf(v.length) + 1;
    if (v.length > 0 && len === 0) return { ok: false, explored: 0 };
    slot.set(r, 2 * len);
  }
  // Completed appends no read saw come after everything observed, in invocation order; unfinished ones never happened.
  let next = 2 * sequence.length + 1;
  for (const a of appends.filter((o) => o.done && !slot.has(o)).sort((x, y) => x.invokedAt - y.invokedAt)) slot.set(a, next++);
  const placed = [...slot.entries()].sort((x, y) => x[1] - y[1]);
  let maxInvokedBefore = -Infinity;
  for (let i = 0; i < placed.length; ) {
    let j = i;
    while (j < placed.length && (placed[j] as [KvOperation, number])[1] === (placed[i] as [KvOperation, number])[1]) j++;
    for (let k = i; k < j; k++) if ((placed[k] as [KvOperation, number])[0].returnedAt < maxInvokedBefore) return { ok: false, explored: placed.length };
    for (let k = i; k < j; k++) maxInvokedBefore = Math.max(maxInvokedBefore, (placed[k] as [KvOperation, number])[0].invokedAt);
    i = j;
  }
  return { ok: true, explored: placed.length };
}

/**
 * Depth-first search for an order: at each point, any not-yet-linearized operation invoked before the earliest
 * return among the remaining completed operations may go next, if the register state allows it. An unfinished
 * write may also be dropped (it never took effect). Visited (remaining set, state) pairs are remembered.
 */
function checkKey(ops: readonly KvOperation[], maxExplored: number): { ok: boolean; explored: number } {
  const n = ops.length;
  const seen = new Set<string>();
  let explored = 0;
  const linearized = new Uint8Array(n);
  const search = (state: string | null, remainingDone: number): boolean => {
    if (remainingDone === 0) return true;
    if (++explored > maxExplored) throw new Error(`linearizability check gave up after ${maxExplored} states`);
    const memo = `${linearized.join("")}|${state ?? "\u0000"}`;
    if (seen.has(memo)) return false;
    seen.add(memo);
    let horizon = Infinity;
    for (let i = 0; i < n; i++) if (!linearized[i] && (ops[i] as KvOperation).done) horizon = Math.min(horizon, (ops[i] as KvOperation).returnedAt);
    for (let i = 0; i < n; i++) {
      const op = ops[i] as KvOperation;
      if (linearized[i] || op.invokedAt > horizon) continue;
      let next: string | null;
      if (op.kind === "get") {
        if (op.value !== state) continue;
        next = state;
      } else next = op.kind === "put" ? op.value : (state ?? "") + (op.value ?? "");
      linearized[i] = 1;
      const found = search(next, remainingDone - (op.done ? 1 : 0));
      linearized[i] = 0;
      if (found) return true;
    }
    return false;
  };
  const ok = search(null, ops.filter((o) => o.done).length);
  return { ok, explored };
}
