// The checker against a brute-force one on thousands of small random histories: same verdict, and explanations that hold.

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { casRegisterModel, checkLinearizable, kvModel, type Model, type Operation } from "../src/index.js";
import { bruteForce } from "./linearizability-brute-force.js";
import { kvHistories, registerHistories } from "./linearizability-histories.js";

const RUNS = Number(process.env.LIN_RUNS ?? 3000);

/** The explanation must be true: a valid prefix, closed under real time, after which every named operation is impossible. */
function checkExplanation<S, I, O>(model: Model<S, I, O>, history: readonly Operation<I, O>[], longestKnown: number): void {
  const r = checkLinearizable(model, history);
  const e = r.explanation;
  expect(e).toBeDefined();
  if (!e) return;
  const byId = new Map(history.map((o) => [o.id, o]));
  const part = new Set(r.partitions[e.partition]?.ids);
  const prefix = e.longestPrefix.map((id) => byId.get(id) as Operation<I, O>);
  let state = model.init();
  for (const op of prefix) {
    const s = model.step(state, op.input, op.output);
    expect(s.ok).toBe(true);
    state = s.next;
  }
  const inPrefix = new Set(e.longestPrefix);
  for (const op of prefix) {
    // Nothing outside the prefix (in the same partition) returned before a prefix operation was called.
    expect(history.some((o) => part.has(o.id) && !inPrefix.has(o.id) && o.return < op.call)).toBe(false);
  }
  expect(prefix.filter((o) => o.return !== Infinity)).toHaveLength(longestKnown);
  expect(e.unplaceable.length).toBeGreaterThan(0);
  for (const id of e.unplaceable) {
    const op = byId.get(id) as Operation<I, O>;
    expect(part.has(id) && !inPrefix.has(id)).toBe(true);
    expect(model.step(state, op.input, op.output).ok).toBe(false);
  }
}

function differential<S, I, O>(model: Model<S, I, O>, histories: fc.Arbitrary<Operation<I, O>[]>): { ok: number; illegal: number; unknownOutcomes: number } {
  const seen = { ok: 0, illegal: 0, unknownOutcomes: 0 };
  fc.assert(
    fc.property(histories, (history) => {
      const expected = bruteForce(model, history);
      const got = checkLinearizable(model, history);
      expect(got.verdict).toBe(expected.linearizable ? "ok" : "illegal");
      if (got.verdict === "illegal") checkExplanation(model, history, expected.longestKnown);
      seen[got.verdict === "ok" ? "ok" : "illegal"]++;
      if (history.some((o) => o.return === Infinity)) seen.unknownOutcomes++;
    }),
    { numRuns: RUNS },
  );
  return seen;
}

describe("checker versus brute force", () => {
  it(`agrees on ${RUNS} random key-value histories (get, put, append, cas; two keys; unknown outcomes)`, () => {
    const seen = differential(kvModel, kvHistories(7));
    // The generator must exercise both verdicts and lost calls, or this test proves little.
    expect(seen.ok).toBeGreaterThan(RUNS / 5);
    expect(seen.illegal).toBeGreaterThan(RUNS / 10);
    expect(seen.unknownOutcomes).toBeGreaterThan(RUNS / 5);
  });

  it(`agrees on ${RUNS} random compare-and-set register histories`, () => {
    const seen = differential(casRegisterModel, registerHistories(7));
    expect(seen.ok).toBeGreaterThan(RUNS / 5);
    expect(seen.illegal).toBeGreaterThan(RUNS / 10);
  });

  it("agrees on a model without the unknown-outcome promise (plain memo, no shortcuts)", () => {
    const { outcomeUnknown: _drop, helps: _alsoDrop, ...plain } = casRegisterModel;
    differential(plain as Model<string | null, import("../src/index.js").RegisterInput, import("../src/index.js").KvOutput>, registerHistories(6));
  });
});
