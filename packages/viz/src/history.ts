// History chart, after Porcupine's: one lane per client, each operation a bar from call to return, the verdict's explanation marked.

import * as d3 from "d3";

/** The parts of a checked operation the chart reads (the checker's Operation fits). */
export interface ChartOperation {
  readonly id: number;
  readonly client: number;
  readonly call: number;
  /** Infinity: the client never got an answer. */
  readonly return: number;
}

/** The parts of a check result the chart reads (the checker's CheckResult fits). */
export interface ChartResult {
  readonly verdict: "ok" | "illegal" | "unknown";
  readonly partitions: readonly { readonly ids: readonly number[] }[];
  readonly explanation?: { readonly partition: number; readonly longestPrefix: readonly number[]; readonly unplaceable: readonly number[] };
}

export interface HistoryChartOptions<Op extends ChartOperation> {
  readonly width?: number;
  /** What an operation did, in words (e.g. the model's describeOperation). */
  readonly describe?: (op: Op) => string;
  /** Lane names by client number. */
  readonly clients?: readonly string[];
  /** Time range to draw. Default: the whole history, or, on "illegal", the unplaceable operations and the last prefix ones before them. */
  readonly window?: readonly [number, number];
  /** How many operations of the prefix the default window reaches back (default 12). */
  readonly context?: number;
}

// Fills are light and text is near-black, so every label keeps a contrast far above 4.5:1; state is also in words.
export const HISTORY_COLORS = {
  text: "#1f2328",
  mutedText: "#4a5563",
  background: "#ffffff",
  prefix: { fill: "#d4efdd", stroke: "#1b7a43" },
  unplaceable: { fill: "#fbd3d3", stroke: "#b3261e" },
  other: { fill: "#e6eaf0", stroke: "#6b7a8c" },
} as const;

type Kind = "prefix" | "unplaceable" | "other";

const LANE = 24;
const BAR = 16;

/** Which operations to show: on "illegal", the failing partition, in the window around the operations that cannot be placed. */
function chosen<Op extends ChartOperation>(history: readonly Op[], result: ChartResult | undefined, options: HistoryChartOptions<Op>): { ops: Op[]; t0: number; t1: number } {
  const e = result?.explanation;
  const inPartition = e ? new Set(result?.partitions[e.partition]?.ids ?? []) : undefined;
  const ops = inPartition ? history.filter((o) => inPartition.has(o.id)) : [...history];
  const finiteEnd = (o: Op) => (o.return === Infinity ? o.call : o.return);
  let t0 = d3.min(ops, (o) => o.call) ?? 0;
  let t1 = d3.max(ops, finiteEnd) ?? 1;
  if (options.window) [t0, t1] = options.window;
  else if (e && e.unplaceable.length > 0) {
    const byId = new Map(ops.map((o) => [o.id, o]));
    const stuck = e.unplaceable.map((id) => byId.get(id)).filter((o): o is Op => o !== undefined);
    const recent = e.longestPrefix.slice(-(options.context ?? 12)).map((id) => byId.get(id)).filter((o): o is Op => o !== undefined);
    t0 = d3.min([...stuck, ...recent], (o) => o.call) ?? t0;
    t1 = d3.max(stuck, finiteEnd) ?? t1;
  }
  if (t1 <= t0) t1 = t0 + 1;
  return { ops: ops.filter((o) => o.call <= t1 && o.return >= t0), t0, t1 };
}

export function historyChart<Op extends ChartOperation>(history: readonly Op[], result?: ChartResult, options: HistoryChartOptions<Op> = {}): SVGSVGElement {
  const width = Math.max(280, options.width ?? 640);
  const describe = options.describe ?? ((o: Op) => `operation ${o.id}`);
  const { ops, t0, t1 } = chosen(history, result, options);
  const position = new Map((result?.explanation?.longestPrefix ?? []).map((id, k) => [id, k + 1]));
  const stuck = new Set(result?.explanation?.unplaceable ?? []);
  const kind = (o: Op): Kind => (stuck.has(o.id) ? "unplaceable" : position.has(o.id) ? "prefix" : "other");
  const clients = [...new Set(ops.map((o) => o.client))].sort((a, b) => a - b);
  const laneName = (c: number) => options.clients?.[c] ?? `client ${c}`;
  const labelWidth = Math.min(120, 12 + 7 * Math.max(6, ...clients.map((c) => laneName(c).length)));
  const legend: Array<[Kind, string]> = [
    ["prefix", "#n: in the longest linearizable prefix, in order"],
    ["unplaceable", "✗ cannot be placed next"],
    ["other", "other operations"],
  ];
  // Legend entries flow into as many rows as the width needs.
  const placed: Array<{ kind: Kind; label: string; x: number; y: number }> = [];
  let lx = 4;
  let ly = 24;
  for (const [k, label] of result?.explanation ? legend : legend.slice(2)) {
    const w = 26 + label.length * 6.2;
    if (lx > 4 && lx + w > width - 4) {
      lx = 4;
      ly += 18;
    }
    placed.push({ kind: k, label, x: lx, y: ly });
    lx += w;
  }
  const margin = { top: ly + 30, left: labelWidth, right: 14, bottom: 28 };
  const height = margin.top + clients.length * LANE + margin.bottom;
  const x = d3.scaleLinear().domain([t0, t1]).range([margin.left, width - margin.right]).clamp(true);
  const y = (c: number) => margin.top + clients.indexOf(c) * LANE;

  const verdict = result === undefined ? "not checked" : result.verdict === "ok" ? "linearizable" : result.verdict === "illegal" ? "not linearizable" : "undecided (the check stopped at a limit)";
  const summary =
    `Client history, ${ops.length} of ${history.length} operations by ${clients.length} clients: ${verdict}.` +
    (result?.explanation ? ` ${position.size} operations form the longest linearizable prefix; ${stuck.size} cannot be placed after it.` : "");
  const svg = d3.create("svg").attr("class", "chart history-chart").attr("viewBox", `0 0 ${width} ${height}`).attr("width", width).attr("height", height).attr("role", "img").attr("aria-label", summary);
  svg.append("desc").text(summary);
  const text = (g: d3.Selection<SVGGElement, undefined, null, undefined> | typeof svg, bg: string) => g.append("text").attr("fill", HISTORY_COLORS.text).attr("data-bg", bg).attr("font-size", 11);

  text(svg, HISTORY_COLORS.background).attr("class", "verdict").attr("x", 4).attr("y", 14).attr("font-weight", 600).text(`Verdict: ${verdict}`);
  const legendG = svg.append("g").attr("class", "legend");
  for (const item of placed) {
    const c = HISTORY_COLORS[item.kind];
    legendG.append("rect").attr("x", item.x).attr("y", item.y).attr("width", 14).attr("height", 12).attr("fill", c.fill).attr("stroke", c.stroke).attr("stroke-width", item.kind === "unplaceable" ? 2 : 1);
    text(legendG, HISTORY_COLORS.background).attr("x", item.x + 18).attr("y", item.y + 10).text(item.label);
  }

  const lanes = svg.append("g").attr("class", "lanes");
  for (const c of clients) {
    lanes.append("line").attr("x1", margin.left).attr("x2", width - margin.right).attr("y1", y(c) + LANE / 2).attr("y2", y(c) + LANE / 2).attr("stroke", "#d8dee6");
    text(lanes, HISTORY_COLORS.background).attr("class", "lane-label").attr("x", 4).attr("y", y(c) + LANE / 2 + 4).attr("fill", HISTORY_COLORS.mutedText).text(laneName(c));
  }

  const bars = svg.append("g").attr("class", "operations");
  for (const o of ops) {
    const k = kind(o);
    const c = HISTORY_COLORS[k];
    const x0 = x(o.call);
    const open = o.return === Infinity;
    const x1 = open ? width - margin.right : x(o.return);
    const w = Math.max(3, x1 - x0);
    const g = bars.append("g").attr("class", `op ${k}${open ? " no-answer" : ""}`).attr("data-id", o.id);
    g.append("rect").attr("x", x0).attr("y", y(o.client) + (LANE - BAR) / 2).attr("width", w).attr("height", BAR).attr("rx", 2)
      .attr("fill", c.fill).attr("stroke", c.stroke).attr("stroke-width", k === "unplaceable" ? 2.5 : 1).attr("stroke-dasharray", open ? "4 2" : null);
    const what = describe(o);
    const mark = k === "prefix" ? `#${position.get(o.id)} ` : k === "unplaceable" ? "✗ " : "";
    const label = `${mark}${what}`;
    // A label goes inside its bar only if it fits; the title always carries the whole story.
    if (w > label.length * 6.2 + 6) text(g, c.fill).attr("x", x0 + 4).attr("y", y(o.client) + LANE / 2 + 4).text(label);
    else if (mark && w > mark.length * 6.2 + 4) text(g, c.fill).attr("x", x0 + 3).attr("y", y(o.client) + LANE / 2 + 4).text(mark.trim());
    const status = k === "prefix" ? `number ${position.get(o.id)} of the longest linearizable prefix` : k === "unplaceable" ? "cannot be placed after the longest linearizable prefix" : "";
    g.append("title").text(`${laneName(o.client)}: ${what}, called at ${o.call}, ${open ? "never answered" : `answered at ${o.return}`}${status ? `; ${status}` : ""}`);
  }
  svg.append("g").attr("class", "axis").attr("transform", `translate(0,${height - margin.bottom + 4})`).call(d3.axisBottom(x).ticks(Math.max(2, Math.floor(width / 110))).tickSizeOuter(0));
  return svg.node() as SVGSVGElement;
}
