// A JSON copy of a value that reuses an earlier copy wherever the JSON text would be the same: cheap state events.

/**
 * `jsonCopy(previous, value)` gives exactly `JSON.parse(JSON.stringify(value))` as data (the same JSON text), but:
 * - when that text equals `previous`'s, it returns `previous` itself, so "did the view change?" is `result !== previous`;
 * - parts that did not change are `previous`'s own objects (consecutive state events share them; nothing mutates them);
 * - a deeply frozen plain value whose JSON is itself (a memoized log, say) is used as it is, not copied.
 * The simulator calls it after every handler, where stringifying and parsing a whole view (a long log) cost more
 * than the protocol step. `previous` must itself be a result of jsonCopy (plain JSON data, never mutated).
 */
export function jsonCopy(previous: unknown, value: unknown): unknown {
  const copy = copyValue(previous, value, "", 0);
  return copy === OMIT ? undefined : copy;
}

/** The result for a property JSON leaves out (undefined, a function, a symbol). */
const OMIT: unique symbol = Symbol("omit");
/** Deeper than this is most likely a cycle: JSON.stringify then throws its own error (or copies a deep value). */
const MAX_DEPTH = 500;
/** Frozen values already found to be their own JSON copy (frozen, so that can never change). */
const selfCopies = new WeakSet<object>();

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
  if (selfCopies.has(object)) return object === previous || jsonEqual(previous, object) ? previous : object;
  const array = Array.isArray(object);
  if (typeof value === "bigint" || depth > MAX_DEPTH || typeof (object as { toJSON?: unknown }).toJSON === "function" || !(array || isPlainObject(object))) {
    // Anything JSON treats specially (toJSON, Maps, class instances, boxed primitives, bigints): JSON itself copies it.
    const viaJson = JSON.parse(JSON.stringify({ [key]: value })) as Record<string, unknown>;
    return Object.hasOwn(viaJson, key) ? copyValue(previous, viaJson[key], key, 0) : OMIT;
  }
  const copy = array ? copyArray(previous, object as unknown[], depth) : copyObject(previous, object as Record<string, unknown>, depth);
  if (copy === object) selfCopies.add(object);
  return copy;
}

function copyArray(previous: unknown, value: readonly unknown[], depth: number): unknown[] {
  const before = Array.isArray(previous) ? (previous as unknown[]) : undefined;
  let out: unknown[] | undefined;
  let self = Object.isFrozen(value);
  for (let i = 0; i < value.length; i++) {
    // Each property is read once, as JSON.stringify reads it (a getter may answer differently each time).
    const original = value[i];
    let item = copyValue(before?.[i], original, String(i), depth + 1);
    if (item === OMIT) item = null;
    if (self && (!Object.is(item, original) || !isDataProperty(value, String(i)))) self = false;
    if (out === undefined && (before === undefined || i >= before.length || item !== before[i])) out = before ? before.slice(0, i) : [];
    out?.push(item);
  }
  const unchanged = out === undefined && before !== undefined && before.length === value.length;
  if (unchanged) return before;
  if (self) return value as unknown[];
  // No item differed from `before`'s: the value is a shorter prefix of it (or both are empty).
  return out ?? (before ?? []).slice(0, value.length);
}

function copyObject(previous: unknown, value: Record<string, unknown>, depth: number): Record<string, unknown> {
  const before = isPlainObject(previous) ? (previous as Record<string, unknown>) : undefined;
  const beforeKeys = before ? Object.keys(before) : [];
  const out: Record<string, unknown> = {};
  let same = before !== undefined;
  let self = Object.isFrozen(value);
  let n = 0;
  for (const key of Object.keys(value)) {
    const original = value[key];
    const item = copyValue(before?.[key], original, key, depth + 1);
    if (item === OMIT) {
      self = false;
      continue;
    }
    if (self && (!Object.is(item, original) || !isDataProperty(value, key))) self = false;
    if (same && (beforeKeys[n] !== key || item !== (before as Record<string, unknown>)[key])) same = false;
    // A "__proto__" key is an own property in JSON.parse's result, not the prototype.
    if (key === "__proto__") Object.defineProperty(out, key, { value: item, enumerable: true, writable: true, configurable: true });
    else out[key] = item;
    n++;
  }
  if (same && n === beforeKeys.length) return before as Record<string, unknown>;
  return self ? value : out;
}

function isPlainObject(value: unknown): boolean {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

/** A getter could answer differently next time: only plain data properties make a frozen value its own copy. */
function isDataProperty(object: object, key: string): boolean {
  return Object.getOwnPropertyDescriptor(object, key)?.get === undefined;
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
