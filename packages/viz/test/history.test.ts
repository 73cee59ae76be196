// @vitest-environment jsdom
// The history chart draws what the checker found: lanes per client, bars from call to return, prefix and unplaceable operations marked, readable text.

import { describe, expect, it } from "vitest";
import { checkLinearizable, describeOperation, kvModel, type KvInput, type KvOutput, type Operation } from "@course/check";
import { HISTORY_COLORS, historyChart } from "../src/history.js";

const op = (id: number, client: number, call: number, ret: number, input: KvInput, output: KvOutput): Operation<KvInput, KvOutput> => ({ id, client, call, return: ret, input, output });
/** A stale read: put 1, put 2, then a read of 1; a lost put on another client; a fine key y. */
const history = [
  op(0, 0, 0, 10, { op: "put", key: "x", value: "1" }, {}),
  op(1, 1, 20, 30, { op: "put", key: "x", value: "2" }, {}),
  op(2, 0, 40, 50, { op: "get", key: "x" }, { value: "1" }),
  op(3, 2, 5, Infinity, { op: "put", key: "x", value: "3" }, { unknown: true }),
  op(4, 3, 0, 10, { op: "put", key: "y", value: "9" }, {}),
];
const describe_ = (o: Operation<KvInput, KvOutput>) => kvModel.describeOperation?.(o.input, o.output) ?? "";

/** WCAG 2 contrast ratio of two #rrggbb colours. */
function contrast(a: string, b: string): number {
  const lum = (hex: string) => {
    const [r, g, bl] = [1, 3, 5].map((i) => Number.parseInt(hex.slice(i, i + 2), 16) / 255).map((c) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4)) as [number, number, number];
    return 0.2126 * r + 0.7152 * g + 0.0722 * bl;
  };
  const [hi, lo] = [lum(a), lum(b)].sort((p, q) => q - p) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}

describe("history chart", () => {
  const result = checkLinearizable(kvModel, history);

  it("shows the failing key's operations, one lane per client, with the explanation marked", () => {
    expect(result.verdict).toBe("illegal");
    const svg = historyChart(history, result, { width: 600, describe: describe_, clients: ["alice", "bob", "carol"] });
    const ids = [...svg.querySelectorAll("g.op")].map((g) => Number(g.getAttribute("data-id")));
    // Key y is another partition: not drawn.
    expect(ids.sort()).toEqual([0, 1, 2, 3]);
    expect([...svg.querySelectorAll(".lane-label")].map((t) => t.textContent)).toEqual(["alice", "bob", "carol"]);
    const prefix = [...svg.querySelectorAll("g.op.prefix")].map((g) => Number(g.getAttribute("data-id")));
    expect(prefix.sort()).toEqual([...(result.explanation?.longestPrefix ?? [])].sort());
    expect([...svg.querySelectorAll("g.op.unplaceable")].map((g) => Number(g.getAttribute("data-id")))).toEqual([2]);
    expect(svg.querySelector("g.op.unplaceable text")?.textContent).toBe('✗ get(x) -> "1"');
    expect(svg.querySelector("g.op.no-answer")?.getAttribute("data-id")).toBe("3");
    expect(svg.querySelector(".verdict")?.textContent).toBe("Verdict: not linearizable");
  });

  it("draws each bar from its call to its return, and a lost call to the right edge", () => {
    const svg = historyChart(history, result, { width: 600, describe: describe_, window: [0, 50] });
    const rect = (id: number) => svg.querySelector(`g.op[data-id="${id}"] rect`) as SVGRectElement;
    const x = (id: number) => Number(rect(id).getAttribute("x"));
    const w = (id: number) => Number(rect(id).getAttribute("width"));
    // put 2 runs 20..30 and the read 40..50: equal lengths, the read starts 20 later.
    expect(w(1)).toBeCloseTo(w(2), 5);
    expect(x(2) - x(1)).toBeCloseTo(2 * w(1), 5);
    expect(x(3) + w(3)).toBeCloseTo(600 - 14, 5);
  });

  it("says everything in words: an accessible summary and a title per operation", () => {
    const svg = historyChart(history, result, { width: 600, describe: describe_ });
    expect(svg.getAttribute("role")).toBe("img");
    expect(svg.getAttribute("aria-label")).toMatch(/4 of 5 operations by 3 clients: not linearizable\. 3 operations form the longest linearizable prefix; 1 cannot be placed after it\./);
    const titles = [...svg.querySelectorAll("g.op title")].map((t) => t.textContent);
    expect(titles).toContain('client 0: get(x) -> "1", called at 40, answered at 50; cannot be placed after the longest linearizable prefix');
    expect(titles.some((t) => t?.startsWith('client 2: put(x, "3") -> no answer, called at 5, never answered'))).toBe(true);
  });

  it("keeps every text at a contrast of at least 4.5:1 against what it is drawn on", () => {
    const svg = historyChart(history, result, { width: 390, describe: describe_ });
    const texts = [...svg.querySelectorAll("text[data-bg]")];
    expect(texts.length).toBeGreaterThan(5);
    for (const t of texts) expect(contrast(t.getAttribute("fill") as string, t.getAttribute("data-bg") as string)).toBeGreaterThanOrEqual(4.5);
    for (const c of [HISTORY_COLORS.prefix, HISTORY_COLORS.unplaceable, HISTORY_COLORS.other]) expect(contrast(HISTORY_COLORS.text, c.fill)).toBeGreaterThanOrEqual(4.5);
  });

  it("draws a linearizable history whole, with no marks", () => {
    const fine = history.filter((o) => o.id !== 2);
    const r = checkLinearizable(kvModel, fine);
    const svg = historyChart(fine, r, { describe: (o) => describeOperation(kvModel, o) });
    expect(svg.querySelectorAll("g.op")).toHaveLength(4);
    expect(svg.querySelectorAll("g.op.prefix, g.op.unplaceable")).toHaveLength(0);
    expect(svg.querySelector(".verdict")?.textContent).toBe("Verdict: linearizable");
  });
});
