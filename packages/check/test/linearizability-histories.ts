// fast-check generators of small random key-value and register histories: mostly plausible, often with one answer changed.

import fc from "fast-check";
import type { KvInput, KvOutput, Operation, RegisterInput } from "../src/index.js";

const VALUES = ["a", "b", "c"] as const;

interface Draft {
  readonly call: number;
  readonly duration: number;
  /** Where inside [call, return] it takes effect, as a fraction. */
  readonly point: number;
  readonly kind: "get" | "put" | "append" | "cas";
  readonly key: number;
  readonly value: number;
  readonly expected: number;
  /** Its client never hears back: 0 = answered, 1 = took effect anyway, 2 = never took effect. */
  readonly lost: number;
}

const draft = (kinds: readonly Draft["kind"][], keys: number): fc.Arbitrary<Draft> =>
  fc.record({
    call: fc.integer({ min: 0, max: 20 }),
    duration: fc.integer({ min: 0, max: 8 }),
    point: fc.double({ min: 0, max: 1, noNaN: true }),
    kind: fc.constantFrom(...kinds),
    key: fc.integer({ min: 0, max: keys - 1 }),
    value: fc.integer({ min: 0, max: VALUES.length - 1 }),
    expected: fc.integer({ min: -1, max: VALUES.length - 1 }),
    lost: fc.constantFrom(0, 0, 0, 0, 1, 2),
  });

/** A corruption: which operation's answer to change (as a fraction of the history), or none. */
const corruption = fc.option(fc.double({ min: 0, max: 0.999, noNaN: true }), { freq: 2 });

/**
 * Runs the drafts against a real store in the order of their effect points to get true answers (so the history is
 * linearizable), then maybe changes one answer (so it usually is not). Clients are lanes: a client's next call
 * comes after its previous return, and a lost call ends its lane.
 */
function build(drafts: readonly Draft[], corrupt: number | null): Operation<KvInput, KvOutput>[] {
  const store = new Map<string, string | null>();
  const outputs = new Map<number, KvOutput>();
  const ordered = drafts.map((d, i) => ({ d, i, at: d.call + d.point * (d.lost === 1 ? 3 * d.duration + 3 : d.duration) })).sort((a, b) => a.at - b.at || a.i - b.i);
  const inputs = drafts.map((d): KvInput => {
    const key = `k${d.key}`;
    const value = VALUES[d.value] as string;
    if (d.kind === "get") return { op: "get", key };
    if (d.kind === "cas") return { op: "cas", key, expected: d.expected < 0 ? null : (VALUES[d.expected] as string), value };
    return { op: d.kind, key, value };
  });
  for (const { d, i } of ordered) {
    const input = inputs[i] as KvInput;
    if (d.lost === 2) continue;
    const now = store.get(input.key) ?? null;
    if (input.op === "get") outputs.set(i, { value: now });
    else if (input.op === "put") store.set(input.key, input.value);
    else if (input.op === "append") store.set(input.key, (now ?? "") + input.value);
    else {
      const ok = now === input.expected;
      if (ok) store.set(input.key, input.value);
      outputs.set(i, { ok });
    }
  }
  if (corrupt !== null && drafts.length > 0) {
    const i = Math.floor(corrupt * drafts.length);
    const out = outputs.get(i);
    if (out?.ok !== undefined) outputs.set(i, { ok: !out.ok });
    else if (out !== undefined) outputs.set(i, { value: out.value === null ? "a" : out.value === "a" ? "b" : null });
  }
  const lanes: number[] = [];
  return drafts
    .map((d, i) => ({ d, i }))
    .sort((a, b) => a.d.call - b.d.call || a.i - b.i)
    .map(({ d, i }) => {
      const ret = d.lost === 0 ? d.call + d.duration : Infinity;
      let client = lanes.findIndex((free) => free <= d.call);
      if (client < 0) client = lanes.push(0) - 1;
      lanes[client] = ret;
      const output: KvOutput = d.lost === 0 ? (outputs.get(i) ?? {}) : { unknown: true };
      return { id: i, client, call: d.call, return: ret, input: inputs[i] as KvInput, output };
    });
}

/** Histories of up to `maxOps` operations on up to two keys: get, put, append and cas. */
export const kvHistories = (maxOps: number): fc.Arbitrary<Operation<KvInput, KvOutput>[]> =>
  fc.tuple(fc.array(draft(["get", "put", "append", "cas"], 2), { minLength: 1, maxLength: maxOps }), corruption).map(([d, c]) => build(d, c));

/** Histories of one register: get, put and cas. */
export const registerHistories = (maxOps: number): fc.Arbitrary<Operation<RegisterInput, KvOutput>[]> =>
  fc.tuple(fc.array(draft(["get", "put", "cas"], 1), { minLength: 1, maxLength: maxOps }), corruption).map(([d, c]) =>
    build(d, c).map((o) => ({ ...o, input: o.input.op === "get" ? { op: "get" } : o.input.op === "cas" ? { op: "cas", expected: o.input.expected, value: o.input.value } : { op: "put", value: (o.input as { value: string }).value } })),
  );
