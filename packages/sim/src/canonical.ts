// A canonical text for plain data: equal data gives equal text whatever the order of keys, Map entries or Set members.

/**
 * Encodes objects (keys sorted, undefined fields left out), arrays, Maps (entries sorted), Sets (members sorted),
 * strings, numbers, booleans, null and undefined. Nodes build their `canonical()` encoding with it.
 */
export function canonicalText(value: unknown): string {
  switch (typeof value) {
    case "undefined":
      return "~";
    case "number":
    case "boolean":
      return String(value);
    case "string":
      return JSON.stringify(value);
    case "object":
      break;
    default:
      throw new TypeError(`canonicalText: cannot encode a ${typeof value}`);
  }
  if (value === null) return "null";
  if (Array.isArray(value)) return `[${value.map(canonicalText).join(",")}]`;
  if (value instanceof Map) return `M[${[...value].map(([k, v]) => `${canonicalText(k)}:${canonicalText(v)}`).sort().join(",")}]`;
  if (value instanceof Set) return `S[${[...value].map(canonicalText).sort().join(",")}]`;
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj)
    .filter((k) => obj[k] !== undefined)
    .sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalText(obj[k])}`).join(",")}}`;
}
