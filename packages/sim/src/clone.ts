// Deep copies of node state for checkpoints: objects, arrays, Maps and Sets, keeping classes, aliasing and shared parts.

/**
 * Objects already copied in one deepCopy call: a short list searched linearly (node state holds few objects). One
 * memo serves every call (a copy makes no other copy on the way), so a copy allocates nothing but the copies.
 */
class Memo {
  private readonly from: (object | null)[] = [];
  private readonly to: (object | null)[] = [];
  private size = 0;
  get(value: object): object | undefined {
    const from = this.from;
    for (let i = 0; i < this.size; i++) if (from[i] === value) return this.to[i] as object;
    return undefined;
  }
  set(value: object, copy: object): void {
    this.from[this.size] = value;
    this.to[this.size++] = copy;
  }
  /** Forgets every pair, keeping none of the objects alive. */
  clear(): void {
    for (let i = 0; i < this.size; i++) this.from[i] = this.to[i] = null;
    this.size = 0;
  }
}
const memo = new Memo();

/**
 * A deep copy of `value`. Class instances keep their prototype; an object reached twice is copied once, so
 * aliasing inside the value survives (a log entry that is also in a "recently applied" list stays one object).
 * Functions, frozen objects (messages are frozen when a search shares them) and anything in `shared` (the node's
 * context, its random numbers) are kept as they are. ES private fields (#x) cannot be copied: nodes must not use them.
 */
export function deepCopy<T>(value: T, shared?: ReadonlySet<object>): T {
  try {
    return copyValue(value, memo, shared) as T;
  } finally {
    memo.clear();
  }
}

function copyValue(value: unknown, memo: Memo, shared: ReadonlySet<object> | undefined): unknown {
  if (typeof value !== "object" || value === null || Object.isFrozen(value) || shared?.has(value)) return value;
  return memo.get(value) ?? copyObject(value, memo, shared);
}

function copyObject(value: object, memo: Memo, shared: ReadonlySet<object> | undefined): object {
  if (Array.isArray(value)) {
    const out = value.slice();
    memo.set(value, out);
    for (let i = 0; i < out.length; i++) {
      const v: unknown = out[i];
      if (typeof v === "object" && v !== null) out[i] = copyValue(v, memo, shared);
    }
    return out;
  }
  // Maps and Sets in one pass with forEach (node state holds many small ones: cheaper than the iterator protocol).
  if (value instanceof Map) {
    const out = new Map<unknown, unknown>();
    memo.set(value, out);
    value.forEach((v: unknown, k: unknown) => {
      out.set(typeof k === "object" && k !== null ? copyValue(k, memo, shared) : k, typeof v === "object" && v !== null ? copyValue(v, memo, shared) : v);
    });
    return out;
  }
  if (value instanceof Set) {
    const out = new Set<unknown>();
    memo.set(value, out);
    value.forEach((v: unknown) => {
      out.add(typeof v === "object" && v !== null ? copyValue(v, memo, shared) : v);
    });
    return out;
  }
  if (ArrayBuffer.isView(value)) {
    const out = (value as unknown as { slice(): object }).slice();
    memo.set(value, out);
    return out;
  }
  if (value instanceof WeakMap || value instanceof WeakSet || value instanceof Promise) {
    throw new TypeError(`cannot copy a ${value.constructor.name} in node state: use a Map or Set`);
  }
  return copierFor(value)(value, memo, shared);
}

type Copier = (value: object, memo: Memo, shared: ReadonlySet<object> | undefined) => object;

/** Copiers by prototype, each with the own keys it was made for. */
const copiers = new WeakMap<object, { keys: readonly string[]; copy: Copier }[]>();
let canGenerate = true;

function sameKeys(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * A copier for objects of this class and shape. Node objects of one class share a shape, so a copier made for it
 * (with literal property names, which the JIT turns into fast stores) pays off on every later copy. Where code
 * cannot be generated (a content security policy forbids it), the generic loop does the job.
 */
function copierFor(value: object): Copier {
  const proto = Object.getPrototypeOf(value) as object | null;
  const keys = Object.keys(value);
  const list = proto === null ? undefined : copiers.get(proto);
  if (list !== undefined) for (const c of list) if (sameKeys(c.keys, keys)) return c.copy;
  let copy: Copier = genericCopy;
  if (canGenerate && proto !== null && keys.every((k) => /^[A-Za-z_$][\w$]*$/.test(k))) {
    try {
      const body = keys.map((k) => `v = s.${k}; o.${k} = typeof v === "object" && v !== null ? C(v, m, sh) : v;`).join("\n");
      copy = new Function("P", "C", `return function copy(s, m, sh) { const o = Object.create(P); m.set(s, o); let v; ${body} return o; };`)(proto, copyValue) as Copier;
    } catch {
      canGenerate = false;
    }
  }
  if (proto !== null) {
    if (list === undefined) copiers.set(proto, [{ keys, copy }]);
    else if (list.length < 8) list.push({ keys, copy });
  }
  return copy;
}

function genericCopy(value: object, memo: Memo, shared: ReadonlySet<object> | undefined): object {
  const out = Object.assign(Object.create(Object.getPrototypeOf(value) as object | null) as object, value) as Record<string, unknown>;
  memo.set(value, out);
  for (const key in out) {
    const v = out[key];
    if (typeof v === "object" && v !== null) out[key] = copyValue(v, memo, shared);
  }
  return out;
}

/** Freezes a value and everything inside it (plain data: objects and arrays), so copies may share it safely. */
export function deepFreeze<T>(value: T): T {
  if (typeof value !== "object" || value === null || Object.isFrozen(value)) return value;
  Object.freeze(value);
  for (const key of Object.keys(value)) deepFreeze((value as Record<string, unknown>)[key]);
  return value;
}
