// Sequential specifications for the checker: a key-value store (put, append, get, compare-and-set per key) and one register.

import type { Model, Operation } from "./types.js";

export type KvInput =
  | { readonly op: "get"; readonly key: string }
  | { readonly op: "put"; readonly key: string; readonly value: string }
  | { readonly op: "append"; readonly key: string; readonly value: string }
  | { readonly op: "cas"; readonly key: string; readonly expected: string | null; readonly value: string };

/** get -> value (null: the key is absent); cas -> ok; unknown: the client never learned the outcome (then return = Infinity). */
export type KvOutput = { readonly value?: string | null; readonly ok?: boolean; readonly unknown?: boolean };

/** A single register: the key-value operations without a key, and without append. */
export type RegisterInput =
  | { readonly op: "get" }
  | { readonly op: "put"; readonly value: string }
  | { readonly op: "cas"; readonly expected: string | null; readonly value: string };

/** The value of one key or register; null while it has never been written. */
export type RegisterState = string | null;

type AnyInput = KvInput | RegisterInput;

/**
 * One operation's effect. An operation with an unknown outcome is possible from any state (the checker decides
 * when, or whether, it took effect); a write that reported ok:false did not take effect.
 */
function step(state: RegisterState, input: AnyInput, output: KvOutput): { ok: boolean; next: RegisterState } {
  const unknown = output.unknown === true;
  switch (input.op) {
    case "get":
      return { ok: unknown || output.value === state, next: state };
    case "put":
      return { ok: true, next: output.ok === false ? state : input.value };
    case "append":
      return { ok: true, next: output.ok === false ? state : (state ?? "") + input.value };
    case "cas": {
      const matches = state === input.expected;
      if (unknown) return { ok: true, next: matches ? input.value : state };
      return output.ok === true ? { ok: matches, next: input.value } : { ok: !matches, next: state };
    }
  }
}

/**
 * Search guidance for a blocked read (or successful cas) that expects value V: a candidate helps if the value it
 * leaves is V or a prefix of V (appends may complete it), so a read that saw several unanswered appends finds
 * them one by one. Otherwise: whether the blocked operation is possible right after the candidate.
 */
function helps(state: RegisterState, input: AnyInput, output: KvOutput, blockedInput: AnyInput, blockedOutput: KvOutput): boolean {
  const after = step(state, input, output);
  if (!after.ok) return false;
  const target = blockedInput.op === "get" ? blockedOutput.value : blockedInput.op === "cas" && blockedOutput.ok === true ? blockedInput.expected : undefined;
  if (typeof target === "string" && typeof after.next === "string") return target.startsWith(after.next);
  return step(after.next, blockedInput, blockedOutput).ok;
}

const quote = (v: string | null | undefined): string => (v === null || v === undefined ? "absent" : JSON.stringify(v));
const isValue = (v: unknown): v is string | null => v === null || typeof v === "string";

function validate(input: AnyInput, output: KvOutput, kinds: readonly string[], keyed: boolean): string | undefined {
  if (typeof input !== "object" || input === null) return "its input is not an object";
  const op = (input as { op?: unknown }).op;
  if (typeof op !== "string" || !kinds.includes(op)) return `its input has an unknown kind ${JSON.stringify(op)} (expected one of ${kinds.join(", ")})`;
  const i = input as { key?: unknown; value?: unknown; expected?: unknown };
  if (keyed && typeof i.key !== "string") return `its ${op} has no key (a string)`;
  if (op !== "get" && typeof i.value !== "string") return `its ${op} has no value (a string)`;
  if (op === "cas" && !isValue(i.expected)) return "its cas has no expected value (a string, or null for absent)";
  if (typeof output !== "object" || output === null) return "its output is not an object";
  if (output.unknown !== undefined && typeof output.unknown !== "boolean") return "its output's `unknown` is not a boolean";
  if (output.unknown === true) return undefined;
  if (op === "get" && !isValue(output.value)) return "its get has no value in the output (a string, or null for absent)";
  if (op === "cas" && typeof output.ok !== "boolean") return "its cas has no `ok` (boolean) in the output";
  return undefined;
}

function describe(input: AnyInput, output: KvOutput): string {
  const key = "key" in input ? `${input.key}` : "";
  const call =
    input.op === "get" ? `get(${key})` : input.op === "cas" ? `cas(${key ? `${key}, ` : ""}${quote(input.expected)} -> ${quote(input.value)})` : `${input.op}(${key ? `${key}, ` : ""}${quote(input.value)})`;
  if (output.unknown === true) return `${call} -> no answer`;
  if (input.op === "get") return `${call} -> ${quote(output.value)}`;
  if (input.op === "cas") return `${call} -> ${output.ok ? "ok" : "failed"}`;
  return output.ok === false ? `${call} -> failed` : call;
}

const KV_KINDS = ["get", "put", "append", "cas"] as const;
const REGISTER_KINDS = ["get", "put", "cas"] as const;

/** What the key-value store and the register share: the value of one key, and the same rules for it. */
const registerRules = {
  init: (): RegisterState => null,
  step,
  hash: (state: RegisterState): string | number => (state === null ? 0 : state),
  outcomeUnknown: (output: KvOutput): boolean => output.unknown === true,
  helps,
  describeOperation: describe,
  describeState: (state: RegisterState): string => quote(state),
};

/** Put, append, get and compare-and-set on string keys; each key is checked on its own. */
export const kvModel: Model<RegisterState, KvInput, KvOutput> = {
  ...registerRules,
  name: "kv",
  partition(ops: readonly Operation<KvInput, KvOutput>[]): Operation<KvInput, KvOutput>[][] {
    const byKey = new Map<string, Operation<KvInput, KvOutput>[]>();
    for (const o of ops) {
      // A read whose answer never came constrains nothing.
      if (o.input.op === "get" && o.output.unknown === true) continue;
      const list = byKey.get(o.input.key);
      if (list) list.push(o);
      else byKey.set(o.input.key, [o]);
    }
    return [...byKey.values()];
  },
  validate: (input, output) => validate(input, output, KV_KINDS, true),
};

/** One register with get, put and compare-and-set (null: never written). */
export const casRegisterModel: Model<RegisterState, RegisterInput, KvOutput> = {
  ...registerRules,
  name: "cas-register",
  validate: (input, output) => validate(input, output, REGISTER_KINDS, false),
};
