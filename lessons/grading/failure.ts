// Failure messages written for a student: the rule, the input, what was expected, what came back, a hint.

import { isDeepStrictEqual } from "node:util";
import { preview } from "./impl.js";

/** A graded check that failed; its message is the whole explanation. */
export class RuleFailure extends Error {
  override name = "RuleFailure";
}

export interface RuleCheck {
  /** The rule and where the paper states it: "Figure 2, RequestVote receiver, step 1". */
  readonly rule: string;
  /** The input, as named values: { voter, request }. */
  readonly input: Readonly<Record<string, unknown>>;
  readonly hint?: string;
}

/** Fail with a student-facing explanation. */
export function fail(check: RuleCheck, expected: string, got: string): never {
  const lines = [
    check.rule,
    ...Object.entries(check.input).map(([name, value]) => `  ${`${name}:`.padEnd(10)} ${preview(value, 400)}`),
    `  expected: ${expected}`,
    `  got:      ${got}`,
  ];
  if (check.hint) lines.push(`  hint:     ${check.hint}`);
  throw new RuleFailure(lines.join("\n"));
}

/** Compare `got` with `expected` (deep equality) and fail with the rule's explanation when they differ. */
export function expectRule<T>(check: RuleCheck, got: T, expected: T, describe: (value: T) => string = (v) => preview(v, 400)): void {
  if (!isDeepStrictEqual(normalise(got), normalise(expected))) fail(check, describe(expected), describe(got));
}

/** Compare only some fields of a result: the ones the rule decides. */
export function expectFields<T extends object>(check: RuleCheck, got: T, expected: Partial<T>): void {
  const picked: Partial<T> = {};
  for (const key of Object.keys(expected) as (keyof T)[]) picked[key] = got?.[key];
  expectRule(check, picked, expected);
}

/** JSON round trip: `undefined` fields and absent fields compare equal, as they do on the wire. */
function normalise(value: unknown): unknown {
  try {
    return value === undefined ? undefined : (JSON.parse(JSON.stringify(value)) as unknown);
  } catch {
    return value;
  }
}

/** A deep-frozen copy: a rule that modifies its input throws a TypeError, which the harness reports clearly. */
export function frozen<T>(value: T): T {
  const copy = structuredClone(value);
  const freeze = (v: unknown): void => {
    if (typeof v !== "object" || v === null || Object.isFrozen(v)) return;
    Object.freeze(v);
    for (const inner of Object.values(v)) freeze(inner);
  };
  freeze(copy);
  return copy;
}
