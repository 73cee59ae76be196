// Deep copies of node state for checkpoints: objects, arrays, Maps and Sets, keeping classes, aliasing and shared parts.

/**
 * A deep copy of `value`. Class instances keep their prototype; an object reached twice is copied once, so
 * aliasing inside the value survives (a log entry that is also in a "recently applied" list stays one object).
 * Functions, frozen objects (messages are frozen when a search shares them) and anything in `shared` (the node's
 * context, its random numbers) are kept as they are. ES private fields (#x) cannot be copied: nodes must not use them.
 */
export function deepCopy<T>(value: T, shared?: ReadonlySet<object>): T {
  return copy(value, new Map(), shared) as T;
}

function copy(value: unknown, seen: Map<object, unknown>, shared: ReadonlySet<object> | undefined): unknown {
  if (typeof value !== "object" || value === null) return value;
  if (Object.isFrozen(value) || shared?.has(value)) return value;
  const known = seen.get(value);
  if (known !== undefined) return known;
  if (Array.isArray(value)) {
    const out: unknown[] = new Array(value.length);
    seen.set(value, out);
    for (let i = 0; i < value.length; i++) out[i] = copy(value[i], seen, shared);
    return out;
  }
  if (value instanceof Map) {
    const out = new Map();
    seen.set(value, out);
    for (const [k, v] of value) out.set(copy(k, seen, shared), copy(v, seen, shared));
    return out;
  }
  if (value instanceof Set) {
    const out = new Set();
    seen.set(value, out);
    for (const v of value) out.add(copy(v, seen, shared));
    return out;
  }
  if (ArrayBuffer.isView(value)) {
    const out = (value as unknown as { slice(): unknown }).slice();
    seen.set(value, out);
    return out;
  }
  if (value instanceof WeakMap || value instanceof WeakSet || value instanceof Promise) {
    throw new TypeError(`cannot copy a ${value.constructor.name} in node state: use a Map or Set`);
  }
  const out = Object.create(Object.getPrototypeOf(value) as object | null) as Record<string, unknown>;
  seen.set(value, out);
  const src = value as Record<string, unknown>;
  for (const key of Object.keys(src)) out[key] = copy(src[key], seen, shared);
  return out;
}

/** Freezes a value and everything inside it (plain data: objects and arrays), so copies may share it safely. */
export function deepFreeze<T>(value: T): T {
  if (typeof value !== "object" || value === null || Object.isFrozen(value)) return value;
  Object.freeze(value);
  for (const key of Object.keys(value)) deepFreeze((value as Record<string, unknown>)[key]);
  return value;
}
