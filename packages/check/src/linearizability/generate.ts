// Seeded random key-value histories for tests and benchmarks: clients run operations against a true store, so the history is linearizable unless told otherwise.

import { Rng } from "@course/sim";
import type { KvInput, KvOutput } from "./kv-model.js";
import type { Operation } from "./types.js";

export interface GenerateOptions {
  readonly seed: number;
  /** Clients running at once (each one operation at a time). */
  readonly clients: number;
  readonly operations: number;
  readonly keys?: number;
  readonly kinds?: readonly KvInput["op"][];
  /** Probability that a call never gets its answer; it then took effect (or not) with equal odds, and its client carries on under a new number. */
  readonly lostRate?: number;
  /** Change one read near the end to a value that was overwritten before the read began: no linearization exists. */
  readonly illegal?: boolean;
}

interface Draft {
  readonly id: number;
  readonly client: number;
  readonly call: number;
  readonly return: number;
  /** When it takes effect; Infinity for a lost call that never did. */
  readonly effect: number;
  readonly input: KvInput;
}

/**
 * Each client calls, waits 1-10 time units for the answer and thinks 0-2 units before its next call. Every
 * operation takes effect at a random moment inside its call (a lost one: inside three times its length, or
 * never); applying them in that order to a real store gives the answers. Values written are unique.
 */
export function generateKvHistory(options: GenerateOptions): Operation<KvInput, KvOutput>[] {
  const rng = new Rng(options.seed);
  const keys = Array.from({ length: Math.max(1, options.keys ?? 1) }, (_, k) => `k${k}`);
  const kinds = options.kinds ?? ["get", "put", "cas"];
  const lostRate = options.lostRate ?? 0;
  const free = Array.from({ length: options.clients }, () => rng.int(0, 3));
  const number = Array.from({ length: options.clients }, (_, c) => c);
  let nextNumber = options.clients;
  const lastWritten = new Map<string, string | null>();
  const drafts: Draft[] = [];
  for (let id = 0; id < options.operations; id++) {
    let c = 0;
    for (let k = 1; k < free.length; k++) if ((free[k] as number) < (free[c] as number)) c = k;
    const call = free[c] as number;
    const length = rng.int(1, 10);
    const key = rng.pick(keys);
    const kind = rng.pick(kinds);
    const value = kind === "append" ? `${id};` : `v${id}`;
    const input: KvInput = kind === "get" ? { op: "get", key } : kind === "cas" ? { op: "cas", key, expected: lastWritten.get(key) ?? null, value } : { op: kind, key, value };
    if (kind === "put" || kind === "cas") lastWritten.set(key, value);
    const lost = rng.chance(lostRate);
    const effect = lost ? (rng.chance(0.5) ? call + rng.uniform(0, 3 * length) : Infinity) : call + rng.uniform(0, length);
    drafts.push({ id, client: number[c] as number, call, return: lost ? Infinity : call + length, effect, input });
    free[c] = call + length + rng.int(0, 2);
    if (lost) number[c] = nextNumber++;
  }
  const outputs = answers(drafts);
  if (options.illegal) makeIllegal(drafts, outputs);
  return drafts.map((d) => ({ id: d.id, client: d.client, call: d.call, return: d.return, input: d.input, output: d.return === Infinity ? { unknown: true } : (outputs.get(d.id) ?? {}) }));
}

/** The true answers: every operation applied to one store in the order it took effect. */
function answers(drafts: readonly Draft[]): Map<number, KvOutput> {
  const store = new Map<string, string | null>();
  const outputs = new Map<number, KvOutput>();
  for (const d of [...drafts].filter((x) => x.effect !== Infinity).sort((a, b) => a.effect - b.effect || a.id - b.id)) {
    const now = store.get(d.input.key) ?? null;
    if (d.input.op === "get") outputs.set(d.id, { value: now });
    else if (d.input.op === "put") store.set(d.input.key, d.input.value);
    else if (d.input.op === "append") store.set(d.input.key, (now ?? "") + d.input.value);
    else {
      const ok = now === d.input.expected;
      if (ok) store.set(d.input.key, d.input.value);
      outputs.set(d.id, { ok });
    }
  }
  return outputs;
}

/**
 * A stale read: the latest read (from the end) for which some answered write W finished before the read began,
 * and some put or successful cas P of a unique value finished before W began. P must come before W and W before
 * the read, so the read cannot return P's value. Without such a read, the last read returns a value never written.
 */
function makeIllegal(drafts: readonly Draft[], outputs: Map<number, KvOutput>): void {
  const writes = (key: string) =>
    drafts.filter((d) => d.input.key === key && d.return !== Infinity && d.input.op !== "get" && (d.input.op !== "cas" || outputs.get(d.id)?.ok === true));
  const reads = drafts.filter((d) => d.input.op === "get" && d.return !== Infinity);
  for (let r = reads.length - 1; r >= 0; r--) {
    const read = reads[r] as Draft;
    const before = writes(read.input.key).filter((w) => w.return < read.call);
    const w = before.reduce<Draft | undefined>((latest, x) => (latest === undefined || x.call > latest.call ? x : latest), undefined);
    if (w === undefined) continue;
    const p = before.find((x) => x.return < w.call && x.input.op !== "append");
    if (p !== undefined && p.input.op !== "get") {
      outputs.set(read.id, { value: p.input.value });
      return;
    }
  }
  const last = reads.at(-1);
  if (last !== undefined) outputs.set(last.id, { value: "never-written" });
}
