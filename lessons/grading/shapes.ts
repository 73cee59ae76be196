// Shape checks for results, so garbage from student code fails with a sentence instead of a crash inside a node.

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** An acceptor step: `{ state, reply }` with a reply of one of the allowed types. */
export function checkAcceptorStep(replyTypes: readonly string[]): (result: unknown) => string | undefined {
  return (result) => {
    if (!isObject(result)) return "it must return an object { state, reply }";
    if (!isObject(result.state)) return "`state` must be the acceptor's new state, an object { promised?, accepted? }";
    if (!isObject(result.reply) || !replyTypes.includes(String(result.reply.type))) return `\`reply\` must be a message whose type is ${replyTypes.map((t) => `"${t}"`).join(" or ")}`;
    return undefined;
  };
}

/** A value of one of the given kinds, e.g. checkType("boolean"). */
export function checkType(kind: "boolean" | "number" | "string" | "object"): (result: unknown) => string | undefined {
  return (result) => {
    if (kind === "number") return typeof result === "number" && Number.isFinite(result) ? undefined : "it must return a finite number";
    if (kind === "object") return isObject(result) ? undefined : "it must return an object";
    return typeof result === kind ? undefined : `it must return a ${kind}`;
  };
}

/** An object whose listed fields have the listed kinds ("number|null" allows null). */
export function checkFields(fields: Readonly<Record<string, string>>): (result: unknown) => string | undefined {
  return (result) => {
    if (!isObject(result)) return `it must return an object with ${Object.keys(fields).join(", ")}`;
    for (const [name, kinds] of Object.entries(fields)) {
      const value = result[name];
      const ok = kinds.split("|").some((k) => (k === "null" ? value === null : k === "undefined" ? value === undefined : k === "array" ? Array.isArray(value) : typeof value === k && (k !== "number" || Number.isFinite(value))));
      if (!ok) return `field \`${name}\` must be ${kinds.split("|").join(" or ")}, got ${value === null ? "null" : Array.isArray(value) ? "an array" : typeof value}`;
    }
    return undefined;
  };
}
