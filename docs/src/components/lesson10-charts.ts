// Lesson 10's comparison charts (Observable Plot): cost per command, leader share, contention and failover, each over many seeds.

import * as Plot from "@observablehq/plot";
import * as d3 from "d3";

export interface Lesson10Data {
  readonly seeds: number;
  readonly commands: ReadonlyArray<{ protocol: string; seed: number; command: number; messages: number; network: number; delays: number; everywhereMs: number }>;
  readonly traffic: ReadonlyArray<{ protocol: string; seed: number; hubShare: number; total: number }>;
  readonly contention: ReadonlyArray<{ protocol: string; seed: number; bothAnsweredMs: number | null; roundsLost: number; messages: number }>;
  readonly failover: ReadonlyArray<{ protocol: string; seed: number; outageMs: number | null; detectMs: number | null; electionMs: number | null; firstCommandMs: number | null; campaigns: number }>;
}

const PROTOCOLS = ["Basic Paxos", "Multi-Paxos", "Raft"];
const COLORS = ["#a8416f", "#3d6a91", "#0f7a5a"];
const INK = "#1f2a36";

interface Summary {
  protocol: string;
  median: number;
  min: number;
  max: number;
  n: number;
}

function summarize<T extends { protocol: string }>(rows: readonly T[], value: (r: T) => number | null): Summary[] {
  return d3
    .groups(rows, (r) => r.protocol)
    .map(([protocol, rs]) => {
      const xs = rs.map(value).filter((v): v is number => v !== null && Number.isFinite(v));
      return { protocol, median: d3.median(xs) ?? 0, min: d3.min(xs) ?? 0, max: d3.max(xs) ?? 0, n: xs.length };
    })
    .sort((a, b) => PROTOCOLS.indexOf(a.protocol) - PROTOCOLS.indexOf(b.protocol));
}

const fmt = (v: number, unit: string) => `${d3.format(v >= 10 ? ".0f" : "~r")(Number(v.toPrecision(3)))}${unit}`;

/** Median per protocol as a bar, the smallest and largest value over the seeds as a line through it, the median written beside it. */
function medianBars(summary: readonly Summary[], options: { width: number; unit?: string; percent?: boolean }): SVGSVGElement | HTMLElement {
  const unit = options.unit ?? "";
  const scale = options.percent ? 100 : 1;
  const data = summary.map((s) => ({ ...s, median: s.median * scale, min: s.min * scale, max: s.max * scale }));
  const top = d3.max(data, (d) => d.max) ?? 1;
  return Plot.plot({
    width: options.width,
    height: 40 + data.length * 38,
    marginLeft: 96,
    marginRight: 16,
    style: { color: INK, fontSize: "12px" },
    // The axis's meaning is the chart's title, above it: a label down here would crowd the tick labels.
    x: { label: null, domain: [0, top * 1.3 || 1], grid: true, ticks: Math.max(2, Math.floor(options.width / 120)) },
    y: { label: null, domain: data.map((d) => d.protocol) },
    color: { domain: PROTOCOLS, range: COLORS },
    marks: [
      Plot.barX(data, { x: "median", y: "protocol", fill: "protocol", fillOpacity: 0.85 }),
      Plot.ruleY(data, { x1: "min", x2: "max", y: "protocol", stroke: INK, strokeWidth: 1.5 }),
      Plot.text(data, { x: "max", y: "protocol", text: (d: Summary) => `${fmt(d.median, unit)}${d.min !== d.max ? ` (${fmt(d.min, unit)}–${fmt(d.max, unit)})` : ""}`, dx: 6, textAnchor: "start", fill: INK }),
      Plot.ruleX([0]),
    ],
  });
}

/**
 * Plot names each group of marks with an aria-label ("bar", "rule") on an element that has no role, which axe
 * rejects. The chart as a whole is one image named by its title; the caption under it says what it shows.
 */
function asImage(chart: Element, title: string): Element {
  for (const g of chart.querySelectorAll("g[aria-label]")) g.removeAttribute("aria-label");
  const svg = chart.tagName.toLowerCase() === "svg" ? chart : chart.querySelector("svg");
  svg?.setAttribute("role", "img");
  svg?.setAttribute("aria-label", title);
  return chart;
}

function section(title: string, chart: Element, caption: string): HTMLElement {
  asImage(chart, title);
  const fig = document.createElement("figure");
  fig.className = "comparison-chart";
  const h = document.createElement("h3");
  h.textContent = title;
  const cap = document.createElement("figcaption");
  cap.textContent = caption;
  fig.append(h, chart, cap);
  return fig;
}

export function costCharts(data: Lesson10Data, width: number): HTMLElement {
  const box = document.createElement("div");
  box.className = "lesson10-charts";
  const w = Math.max(300, Math.min(width, 760));
  const perCommand = data.commands.length;
  box.append(
    section(
      "Network messages per committed command",
      medianBars(summarize(data.commands, (r) => r.network), { width: w }),
      `Bars are medians over ${perCommand} commands (${data.seeds} seeds per protocol); the line runs from the fewest to the most. Messages a node sends itself are left out.`,
    ),
    section(
      "Message delays (one-way trips in a row) from the client's request to its answer",
      medianBars(summarize(data.commands, (r) => r.delays), { width: w }),
      "Counted along the causal chain in the trace, so the count does not depend on how fast the network happened to be.",
    ),
    section(
      "Share of all network messages that start or end at the leader (for Basic Paxos, the proposer), in %",
      medianBars(summarize(data.traffic, (r) => r.hubShare), { width: w, unit: "%", percent: true }),
      `Over the whole steady-state window of each run, heartbeats included, ${data.seeds} seeds per protocol.`,
    ),
  );
  return box;
}

export function contentionCharts(data: Lesson10Data, width: number): HTMLElement {
  const box = document.createElement("div");
  box.className = "lesson10-charts";
  const w = Math.max(300, Math.min(width, 760));
  box.append(
    section(
      "Two clients at once: rounds lost to pre-emption (both competitors together)",
      medianBars(summarize(data.contention, (r) => r.roundsLost), { width: w }),
      `${data.seeds} seeds each, on an even network (every link equally fast) so neither competitor is simply faster.`,
    ),
    section(
      "Two clients at once: ms until both have an answer",
      medianBars(summarize(data.contention, (r) => r.bothAnsweredMs), { width: w, unit: " ms" }),
      "From the moment both requests are sent.",
    ),
  );
  return box;
}

export function failoverChart(data: Lesson10Data, width: number): HTMLElement {
  const w = Math.max(300, Math.min(width, 760));
  const rows = data.failover.filter((r) => r.outageMs !== null);
  const medians = summarize(rows, (r) => r.outageMs);
  const never = data.failover.length - rows.length;
  const chart = Plot.plot({
    width: w,
    height: 260,
    marginLeft: 48,
    marginRight: 16,
    style: { color: INK, fontSize: "12px" },
    x: { label: null, grid: true, ticks: Math.max(2, Math.floor(w / 120)) },
    y: { label: "seeds", ticks: 3 },
    // Each panel is named inside its own frame, so the names never leave the chart.
    fy: { label: null, axis: null, domain: ["Multi-Paxos", "Raft"] },
    color: { domain: PROTOCOLS, range: COLORS },
    marks: [
      Plot.rectY(rows, Plot.binX<Plot.RectYOptions>({ y: "count" }, { x: "outageMs", fy: "protocol", fill: "protocol", thresholds: 24, fillOpacity: 0.85 })),
      Plot.ruleX(medians, { x: "median", fy: "protocol", stroke: INK, strokeWidth: 2 }),
      Plot.text(medians, { x: "median", fy: "protocol", frameAnchor: "top", dy: 6, dx: 4, textAnchor: "start", text: (d: Summary) => `median ${Math.round(d.median)} ms`, fill: INK }),
      Plot.text(medians, { fy: "protocol", frameAnchor: "top-right", dy: 6, dx: -4, text: "protocol", fill: INK, fontWeight: 700 }),
      Plot.ruleY([0]),
    ],
  });
  return section(
    "Leader failure: ms without progress after the leader crashes",
    chart,
    `${data.seeds} seeds per protocol: detection (a random election timeout), the election or phase 1, then the first command.${never ? ` In ${never} run${never === 1 ? "" : "s"} no command was answered within the time allowed.` : ""}`,
  );
}
