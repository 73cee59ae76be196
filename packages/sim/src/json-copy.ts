// A JSON copy of a value that reuses an earlier copy wherever the JSON text would be the same: cheap state events.

/**
 * `jsonCopy(previous, value)` gives exactly `JSON.parse(JSON.stringify(value))` as data (the same JSON text), but:
 * - when that text equals `previous`'s, it returns `previous` itself, so "did the view change?" is `result !== previous`;
 * - parts that did not change are `previous`'s own objects (consecutive state events share them; nothing mutates them);
 * - parts made by `frozenJson` are used as they are, not copied.
 * The simulator calls it after every handler, where stringifying and parsing a whole view (a long log) cost more
 * than the protocol step. `previous` must itself be a result of jsonCopy (plain JSON data, never mutated).
 */
export function jsonCopy(previous: unknown, value: unknown): unknown {
  const copy = copyValue(previous, value, "", 0);
  return copy === OMIT ? undefined : copy;
}

/**
 * The JSON copy of `value`, deeply frozen, for a part of a node's view that is large and changes rarely (a log):
 * state events hold it as it is instead of copying it after every handler. Parts already made by frozenJson are
 * kept (a list that grows by one line costs one line, plus the list itself).
 */
export function frozenJson<T>(value: T): T {
  const copy = copyValue(undefined, value, "", 0);
  return (copy === OMIT ? undefined : freeze(copy)) as T;
}

/** The result for a property JSON leaves out (undefined, a function, a symbol). */
const OMIT: unique symbol = Symbol("omit");
/** Deeper than this is most likely a cycle: JSON.stringify then throws its own error (or copies a deep value). */
const MAX_DEPTH = 500;
/** Values made by frozenJson: frozen JSON data, built here (so no getters), that are their own JSON copy. */
const frozenCopies = new WeakSet<object>();

/** Freezes a fresh copy (made by copyValue) and every fresh object in it. */
function freeze(copy: unknown): unknown {
  if (typeof copy !== "object" || copy === null || frozenCopies.has(copy)) return copy;
  for (const item of Object.values(copy)) freeze(item);
  frozenCopies.add(Object.freeze(copy));
  return copy;
}

function copyValue(previous: unknown, value: unknown, key: string, depth: number): unknown {
  switch (typeof value) {
    case "string":
    case "boolean":
      return value;
    case "number":
      // JSON writes -0 as 0 and non-finite numbers as null.
      return Number.isFinite(value) ? (value === 0 ? 0 : value) : null;
    case "undefined":
    case "function":
    case "symbol":
      return OMIT;
  }
  if (value === null) return null;
  const object = value as object;
  if (frozenCopies.has(object)) return object === previous || jsonEqual(previous, object) ? previous : object;
  const array = Array.isArray(object);
  if (typeof value === "bigint" || depth > MAX_DEPTH || typeof (object as { toJSON?: unknown }).toJSON === "function" || !(array || isPlainObject(object))) {
    // Anything JSON treats specially (toJSON, Maps, class instances, boxed primitives, bigints): JSON itself copies it.
    const viaJson = JSON.parse(JSON.stringify({ [key]: value })) as Record<string, unknown>;
    return Object.hasOwn(viaJson, key) ? copyValue(previous, viaJson[key], key, 0) : OMIT;
  }
  return array ? copyArray(previous, object as unknown[], depth) : copyObject(previous, object as Record<string, unknown>, depth);
}

function copyArray(previous: unknown, value: readonly unknown[], depth: number): unknown[] {
  const before = Array.isArray(previous) ? (previous as unknown[]) : undefined;
  let out: unknown[] | undefined;
  for (let i = 0; i < value.length; i++) {
    let item = copyValue(before?.[i], value[i], String(i), depth + 1);
    if (item === OMIT) item = null;
    if (out === undefined && (before === undefined || i >= before.length || item !== before[i])) out = before ? before.slice(0, i) : [];
    out?.push(item);
  }
  if (out !== undefined) return out;
  // No item differed from `before`'s: the same list, or a shorter prefix of it (or both are empty).
  return before !== undefined && before.length === value.length ? before : (before ?? []).slice(0, value.length);
}

function copyObject(previous: unknown, value: Record<string, unknown>, depth: number): Record<string, unknown> {
  const before = isPlainObject(previous) ? (previous as Record<string, unknown>) : undefined;
  const beforeKeys = before ? Object.keys(before) : [];
  const out: Record<string, unknown> = {};
  let same = before !== undefined;
  let n = 0;
  for (const key of Object.keys(value)) {
    const item = copyValue(before?.[key], value[key], key, depth + 1);
    if (item === OMIT) continue;
    if (same && (beforeKeys[n] !== key || item !== (before as Record<string, unknown>)[key])) same = false;
    // A "__proto__" key is an own property in JSON.parse's result, not the prototype.
    if (key === "__proto__") Object.defineProperty(out, key, { value: item, enumerable: true, writable: true, configurable: true });
    else out[key] = item;
    n++;
  }
  return same && n === beforeKeys.length ? (before as Record<string, unknown>) : out;
}

function isPlainObject(value: unknown): boolean {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

/** Same JSON text, for two values that are already JSON copies (key order counts, as it does in the text). */
function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const bs = b as unknown[];
    return a.length === bs.length && a.every((x, i) => jsonEqual(x, bs[i]));
  }
  const ak = Object.keys(a);
  const bk = Object.keys(b);
  return ak.length === bk.length && ak.every((k, i) => k === bk[i] && jsonEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}
