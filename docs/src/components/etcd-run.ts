// Lesson 12's recorded real run: each member's role over time from its status answers, the faults, and the comparison table.

import * as d3 from "d3";
import { historyChart, roleColor, termColor, textOn, type ChartResult } from "@course/viz";
import { kvModel } from "@course/check";
import { describeStep, offendingLines, outcomeCell, type EtcdRun, type StatusSample } from "@course/lessons";

/** A member that did not answer its status request: crashed, stopped, or frozen. */
const SILENT = "#3b3b3b";
const FAULT = "#d1495b";
/** The fault color, darkened enough for small text on white. */
const FAULT_TEXT = "#a8323f";

interface Segment {
  readonly member: string;
  readonly from: number;
  readonly to: number;
  readonly state: "leader" | "follower" | "silent";
  readonly term: number | undefined;
}

function stateOf(s: StatusSample): Segment["state"] {
  if (!s.up) return "silent";
  return s.leader === s.member ? "leader" : "follower";
}

/** Consecutive status answers of one member with the same role and term, merged into one stretch of time. */
export function memberSegments(run: EtcdRun): Segment[] {
  const out: Segment[] = [];
  for (const member of run.members) {
    const samples = run.status.filter((s) => s.member === member).sort((a, b) => a.t - b.t);
    let open: { from: number; state: Segment["state"]; term: number | undefined } | undefined;
    for (const s of samples) {
      const state = stateOf(s);
      const term = s.up ? s.term : open?.term;
      if (open && open.state === state && open.term === term) continue;
      if (open) out.push({ member, from: open.from, to: s.t, state: open.state, term: open.term });
      open = { from: s.t, state, term };
    }
    if (open) out.push({ member, from: open.from, to: run.durationMs, state: open.state, term: open.term });
  }
  return out;
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

/**
 * One lane per member, colored by what its status API said (leader, follower, no answer), with the term along
 * the top edge; red lines where a fault began. The same stretches are listed in a table for screen readers.
 */
export function etcdTimeline(run: EtcdRun, { width = 800 }: { width?: number } = {}): HTMLElement {
  const lane = 30;
  const faults = run.events.filter((e) => e.kind === "fault");
  const x = d3.scaleLinear().domain([0, run.durationMs]).range([40, width - 12]);
  const labels = placeLabels(faults.map((f) => ({ x: x(f.t), text: f.text.replace(/ \(.*$/, "").replace(/:.*$/, "") })), width, textWidth);
  const rows = Math.max(1, ...labels.map((l) => l.row + 1));
  const margin = { top: 12 + rows * LABEL_ROW, right: 12, bottom: 30, left: 40 };
  const height = margin.top + run.members.length * (lane + 8) + margin.bottom;
  const y = (member: string) => margin.top + run.members.indexOf(member) * (lane + 8);
  // Row 0 sits just above the lanes; a label moved up to avoid another goes one row higher.
  const labelY = (row: number) => margin.top - 6 - row * LABEL_ROW;
  const segments = memberSegments(run);

  const svg = d3
    .create("svg")
    .attr("class", "chart etcd-timeline")
    .attr("viewBox", `0 0 ${width} ${height}`)
    .attr("width", width)
    .attr("height", height)
    .attr("role", "img")
    .attr("aria-label", `Each member's role over ${seconds(run.durationMs)}, from its status answers, with ${faults.length} faults; the table below lists the same.`);

  svg
    .append("g")
    .attr("transform", `translate(0,${height - margin.bottom + 4})`)
    .call(d3.axisBottom(x).ticks(Math.max(2, Math.floor(width / 90))).tickFormat((d) => `${Number(d) / 1000} s`));

  const lanes = svg.append("g");
  for (const m of run.members) {
    lanes.append("text").attr("x", margin.left - 6).attr("y", y(m) + lane / 2).attr("dy", "0.35em").attr("text-anchor", "end").attr("font-size", 12).text(m);
  }
  const g = lanes
    .selectAll("g.segment")
    .data(segments)
    .join("g")
    .attr("class", (d) => `segment ${d.state}`)
    .attr("data-member", (d) => d.member);
  g.append("rect")
    .attr("x", (d) => x(d.from))
    .attr("y", (d) => y(d.member))
    .attr("width", (d) => Math.max(1, x(d.to) - x(d.from)))
    .attr("height", lane)
    .attr("fill", (d) => (d.state === "silent" ? SILENT : roleColor(d.state)));
  g.append("rect")
    .attr("x", (d) => x(d.from))
    .attr("y", (d) => y(d.member))
    .attr("width", (d) => Math.max(1, x(d.to) - x(d.from)))
    .attr("height", 5)
    .attr("fill", (d) => termColor(d.term));
  g.filter((d) => d.state === "leader" && x(d.to) - x(d.from) > 58)
    .append("text")
    .attr("x", (d) => x(d.from) + 5)
    .attr("y", (d) => y(d.member) + lane / 2 + 2)
    .attr("dy", "0.35em")
    .attr("data-bg", roleColor("leader"))
    .attr("fill", textOn(roleColor("leader")))
    .attr("font-size", 11)
    .text((d) => `leads t${d.term ?? "?"}`);
  g.append("title").text((d) => `${d.member}: ${d.state === "silent" ? "no answer" : `${d.state}, term ${d.term ?? "?"}`}, ${seconds(d.from)} to ${seconds(d.to)}`);

  const marks = svg
    .append("g")
    .selectAll("g.fault")
    .data(faults.map((f, i) => ({ f, label: labels[i] as PlacedLabel })))
    .join("g")
    .attr("class", "fault");
  marks
    .append("line")
    .attr("x1", (d) => x(d.f.t))
    .attr("x2", (d) => x(d.f.t))
    .attr("y1", (d) => labelY(d.label.row) + 2)
    .attr("y2", height - margin.bottom)
    .attr("stroke", FAULT)
    .attr("stroke-width", 2);
  marks
    .append("text")
    .attr("x", (d) => d.label.x)
    .attr("y", (d) => labelY(d.label.row))
    .attr("font-size", LABEL_FONT_PX)
    .attr("fill", FAULT_TEXT)
    .text((d) => d.label.text);

  const box = document.createElement("figure");
  box.className = "etcd-run chart-box";
  box.append(svg.node() as SVGSVGElement, legend(), segmentTable(segments));
  return box;
}

/** Height of one row of fault labels above the lanes. */
const LABEL_ROW = 14;
const LABEL_FONT_PX = 11;

/** The width of a label in the page's font, measured on a canvas (the SVG is not in the page yet when it is laid out). */
function textWidth(text: string): number {
  const ctx = document.createElement("canvas").getContext("2d");
  if (!ctx) return text.length * LABEL_FONT_PX * 0.7;
  ctx.font = `${LABEL_FONT_PX}px ${getComputedStyle(document.body).fontFamily}`;
  return ctx.measureText(text).width;
}

interface PlacedLabel {
  readonly x: number;
  readonly row: number;
  readonly text: string;
}

/** Fault labels start at their line (pulled left near the right edge); one that would touch another goes a row up. */
export function placeLabels(labels: ReadonlyArray<{ x: number; text: string }>, width: number, measure: (text: string) => number): PlacedLabel[] {
  const taken: Array<Array<[number, number]>> = [];
  return labels.map(({ x, text }) => {
    const w = measure(text);
    const start = Math.max(0, Math.min(x, width - w - 2));
    let row = 0;
    while ((taken[row] ?? []).some(([a, b]) => start < b + 6 && start + w > a - 6)) row++;
    (taken[row] ??= []).push([start, start + w]);
    return { x: start, row, text };
  });
}

function legend(): HTMLElement {
  const p = document.createElement("p");
  p.className = "hint";
  for (const [label, color] of [
    ["leader", roleColor("leader")],
    ["follower", roleColor("follower")],
    ["no answer", SILENT],
    ["fault", FAULT],
  ] as const) {
    const swatch = document.createElement("span");
    swatch.className = "swatch";
    swatch.style.background = color;
    p.append(swatch, ` ${label}  `);
  }
  p.append("The thin strip on top of each lane changes color with the term.");
  return p;
}

function segmentTable(segments: readonly Segment[]): HTMLElement {
  const details = document.createElement("details");
  const summary = document.createElement("summary");
  summary.textContent = "The same as a table";
  const table = document.createElement("table");
  table.className = "data-table";
  table.innerHTML = "<thead><tr><th scope=col>member</th><th scope=col>from</th><th scope=col>to</th><th scope=col>status</th></tr></thead>";
  const body = table.createTBody();
  for (const s of [...segments].sort((a, b) => a.from - b.from)) {
    const row = body.insertRow();
    for (const text of [s.member, seconds(s.from), seconds(s.to), s.state === "silent" ? "no answer" : `${s.state}, term ${s.term ?? "?"}`]) row.insertCell().textContent = text;
  }
  details.append(summary, table);
  return details;
}

/** A box that scrolls sideways on a narrow screen; focusable, so a keyboard can scroll it too. */
function scrollRegion(className: string, label: string): HTMLElement {
  const div = document.createElement("div");
  div.className = className;
  div.tabIndex = 0;
  div.setAttribute("role", "region");
  div.setAttribute("aria-label", label);
  return div;
}

/** The schedule's faults, one row each: what etcd and the simulator did (who led next, how long it took). */
export function failoverTable(run: EtcdRun): HTMLElement {
  const wrap = scrollRegion("failover-table", "Failovers, etcd and simulator");
  const table = document.createElement("table");
  table.className = "data-table";
  table.innerHTML = "<thead><tr><th scope=col>fault</th><th scope=col>etcd (wall-clock time)</th><th scope=col>simulator (virtual time)</th></tr></thead>";
  const body = table.createTBody();
  run.schedule.steps.forEach((step, i) => {
    const row = body.insertRow();
    row.insertCell().textContent = `${i + 1}. ${describeStep(step, true)}`;
    row.insertCell().textContent = outcomeCell(run.faults.find((f) => f.step === i));
    row.insertCell().textContent = outcomeCell(run.simulated.find((f) => f.step === i));
  });
  wrap.append(table);
  return wrap;
}

/** Run facts for the page's prose, all read from the file. */
export function runFacts(run: EtcdRun): { operations: number; unknown: number; kinds: Record<string, number>; terms: number } {
  const kinds: Record<string, number> = {};
  for (const o of run.history) kinds[o.input.op] = (kinds[o.input.op] ?? 0) + 1;
  const terms = Math.max(0, ...run.status.map((s) => s.term ?? 0));
  return { operations: run.history.length, unknown: run.history.filter((o) => o.output.unknown).length, kinds, terms };
}

/** The checker's verdict on the run's history, with the operations it could not place told in words. */
export function verdictBox(run: EtcdRun): HTMLElement {
  const box = document.createElement("section");
  box.className = `etcd-verdict ${run.verdict.verdict}`;
  box.setAttribute("aria-label", `Linearizability verdict for the recorded ${run.variant ?? "normal"} run`);
  const head = document.createElement("p");
  head.className = "verdict-line";
  head.textContent = `${run.variant ? `Variant ${run.variant}: ` : ""}${run.verdict.text}`;
  box.append(head);
  const lines = offendingLines(run);
  if (lines.length > 0) {
    const pre = document.createElement("pre");
    pre.className = "offending";
    pre.textContent = lines.join("\n");
    box.append(pre);
  }
  return box;
}

interface BenchResult {
  readonly title: string;
  readonly rows: ReadonlyArray<Record<string, string | number>>;
  readonly notes?: readonly string[];
}

/** The medians `npm run bench -- etcd` measured, as a table; or a notice when no bench result is there. */
export function benchTable(bench: BenchResult | null): HTMLElement {
  if (bench === null) {
    const p = document.createElement("p");
    p.className = "notice";
    p.textContent = "No measurements yet: run npm run bench -- etcd and rebuild the site.";
    return p;
  }
  const figure = scrollRegion("bench-table", "Time to a new leader, measured over many runs");
  const table = document.createElement("table");
  table.className = "data-table";
  const caption = table.createCaption();
  caption.textContent = bench.title;
  const cols = Object.keys(bench.rows[0] ?? {});
  const headRow = table.createTHead().insertRow();
  for (const c of cols) {
    const th = document.createElement("th");
    th.scope = "col";
    th.textContent = c;
    headRow.append(th);
  }
  const body = table.createTBody();
  for (const r of bench.rows) {
    const row = body.insertRow();
    for (const c of cols) row.insertCell().textContent = String(r[c]);
  }
  figure.append(table);
  for (const n of bench.notes ?? []) {
    const p = document.createElement("p");
    p.className = "hint";
    p.textContent = n;
    figure.append(p);
  }
  return figure;
}

/** Where the first read the checker could not place fell among the pauses of the recorded stale-read run. */
export function staleReadContext(run: EtcdRun): string {
  const id = run.verdict.unplaceable?.[0];
  const read = run.history.find((o) => o.id === id && o.input.op === "get");
  if (read === undefined) return "In this recording the checker found no stale read.";
  const during = run.faults.find((f) => f.kind === "pause" && read.call >= f.at && read.call <= f.endAt);
  const before = [...run.faults].reverse().find((f) => f.kind === "pause" && f.endAt < read.call);
  const when = during
    ? `while ${during.member} was frozen (pause ${during.step + 1}, from ${seconds(during.at)} to ${seconds(during.endAt)}), and answered when it continued`
    : before
      ? `${seconds(read.call - before.endAt)} after ${before.member} had continued from pause ${before.step + 1}`
      : "before the first pause: the follower was simply a message behind the leader";
  return `In this recording the read the checker caught (#${read.id}) was sent at ${seconds(read.call)}, ${when}. The run stopped after ${run.rounds ?? run.faults.length} pause${(run.rounds ?? 0) === 1 ? "" : "s"}.`;
}

/** The verdict as the history chart reads it: the partition the checker could not order, and its explanation. */
export function chartResult(run: EtcdRun): ChartResult {
  const v = run.verdict;
  if (v.verdict !== "illegal" || v.unplaceable === undefined || v.longestPrefix === undefined || v.partitionIds === undefined) return { verdict: v.verdict, partitions: [] };
  return { verdict: "illegal", partitions: [{ ids: v.partitionIds }], explanation: { partition: 0, longestPrefix: v.longestPrefix, unplaceable: v.unplaceable } };
}

/**
 * The clients' operations as bars from call to return, one lane per client number (a client that gave up on an
 * operation goes on under a new number). `around` picks a stretch of the run; by default an illegal history is
 * shown around the operations the checker could not place.
 */
export function runHistoryChart(run: EtcdRun, { width = 800, around }: { width?: number; around?: readonly [number, number] } = {}): HTMLElement {
  const figure = document.createElement("figure");
  figure.className = "etcd-history chart-box";
  figure.append(
    historyChart(run.history, chartResult(run), {
      width,
      describe: (o) => kvModel.describeOperation?.(o.input, o.output) ?? `operation ${o.id}`,
      ...(around ? { window: around } : {}),
    }),
  );
  return figure;
}

/** A stretch of the run around its first leader kill: from one election timeout before to three after. */
export function aroundFirstKill(run: EtcdRun): readonly [number, number] | undefined {
  const kill = run.faults.find((f) => f.kind === "kill");
  return kill ? [Math.max(0, kill.at - run.timing.electionMs), kill.at + 3 * run.timing.electionMs] : undefined;
}
