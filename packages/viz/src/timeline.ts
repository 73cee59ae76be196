// Timeline band over the whole run: terms and their leaders, crashed or paused nodes, network faults, labelled steps.

import * as d3 from "d3";
import type { NodeId, TraceEvent } from "@course/sim";
import { downPeriods, labelledNotes, networkFaultPeriods, nodesOf } from "./model.js";
import { CRASHED, CUT, INK, INK_FAINT, nodeName, roleColor, termColor, textOn } from "./palette.js";
import { fittedAxis } from "./axis.js";
import { role, term } from "./views.js";

export interface TimelineOptions {
  readonly width?: number;
  /** Where the player is, in virtual time: drawn as a cursor. */
  readonly time?: number;
  readonly nodes?: readonly NodeId[];
  /** Called with a virtual time when the reader clicks the band. */
  readonly onSeek?: (time: number) => void;
  /** Called with a labelled note's step when its marker is clicked. */
  readonly onJump?: (step: number) => void;
}

interface Segment {
  from: number;
  to: number;
  label: string;
  color: string;
  kind: string;
}

/** Leaders over time: a segment per (leader, term), from becoming leader until it stops being one. */
export function leaderSegments(events: readonly TraceEvent[]): Array<{ node: NodeId; term: number | undefined; from: number; to: number | undefined }> {
  const open = new Map<NodeId, { node: NodeId; term: number | undefined; from: number }>();
  const out: Array<{ node: NodeId; term: number | undefined; from: number; to: number | undefined }> = [];
  for (const e of events) {
    if (e.kind === "crash" || e.kind === "restart") {
      const o = open.get(e.node);
      if (o) out.push({ ...o, to: e.time });
      open.delete(e.node);
    }
    if (e.kind !== "state") continue;
    const isLeader = role(e.view)?.toLowerCase() === "leader";
    const t = term(e.view);
    const o = open.get(e.node);
    if (o && (!isLeader || o.term !== t)) {
      out.push({ ...o, to: e.time });
      open.delete(e.node);
    }
    if (isLeader && !open.has(e.node)) open.set(e.node, { node: e.node, term: t, from: e.time });
  }
  for (const o of open.values()) out.push({ ...o, to: undefined });
  return out.sort((a, b) => a.from - b.from);
}

/** Put overlapping segments on separate rows (first row that is free), so none hides another or its label. */
function packRows(segs: readonly Segment[]): Segment[][] {
  const rows: Segment[][] = [];
  for (const s of [...segs].sort((a, b) => a.from - b.from)) {
    const row = rows.find((r) => (r[r.length - 1] as Segment).to <= s.from);
    if (row) row.push(s);
    else rows.push([s]);
  }
  return rows.length ? rows : [[]];
}

export function timelineBand(events: readonly TraceEvent[], options: TimelineOptions = {}): SVGSVGElement {
  const nodes = options.nodes ?? nodesOf(events);
  const width = Math.max(240, options.width ?? 640);
  const endTime = Math.max(1, events.length ? (events[events.length - 1] as TraceEvent).time : 1);
  const margin = { left: 58, right: 14 };
  const x = d3.scaleLinear().domain([0, endTime]).range([margin.left, width - margin.right]);
  const rowH = 16;
  const notes = labelledNotes(events);
  const top = notes.length ? 18 : 4;

  // Highest term seen so far, as segments.
  const termSegs: Segment[] = [];
  let maxTerm = 0;
  let since = 0;
  for (const e of events) {
    if (e.kind !== "state") continue;
    const t = term(e.view);
    if (t !== undefined && t > maxTerm) {
      if (maxTerm > 0) termSegs.push({ from: since, to: e.time, label: `term ${maxTerm}`, color: termColor(maxTerm), kind: "term" });
      maxTerm = t;
      since = e.time;
    }
  }
  if (maxTerm > 0) termSegs.push({ from: since, to: endTime, label: `term ${maxTerm}`, color: termColor(maxTerm), kind: "term" });
  const leaders: Segment[] = leaderSegments(events).map((l) => ({ from: l.from, to: l.to ?? endTime, label: `${nodeName(l.node)}${l.term === undefined ? "" : ` (term ${l.term})`}`, color: roleColor("leader"), kind: "leader" }));
  const faults: Segment[] = [
    ...downPeriods(events).map((p) => ({ from: p.from, to: p.to ?? endTime, label: `${nodeName(p.node)} ${p.kind === "crashed" ? "down" : "paused"}`, color: p.kind === "crashed" ? CRASHED : "#647280", kind: "down" })),
    ...networkFaultPeriods(events, nodes).map((p) => ({ from: p.from, to: p.to ?? endTime, label: "links cut", color: CUT, kind: "network" })),
  ];
  const bands: Array<[string, Segment[][]]> = [];
  if (termSegs.length) bands.push(["terms", [termSegs]]);
  if (leaders.length) bands.push(["leader", packRows(leaders)]);
  bands.push(["faults", packRows(faults)]);
  const bandTops: number[] = [];
  let y = top;
  for (const [, rows] of bands) {
    bandTops.push(y);
    y += rows.length * (rowH + 2) + 4;
  }
  const axisY = y;
  const height = axisY + 22;

  const svg = d3.create("svg").attr("class", "chart timeline-band").attr("viewBox", `0 0 ${width} ${height}`).attr("width", width).attr("height", height).attr("role", "img").attr("aria-label", "Timeline of the whole run: terms, leaders and faults");
  bands.forEach(([name, rows], bi) => {
    const by = bandTops[bi] as number;
    svg.append("text").attr("class", "band-label").attr("x", 4).attr("y", by + rowH - 4).attr("font-size", 11).attr("fill", INK_FAINT).attr("data-bg", "#ffffff").text(name);
    rows.forEach((segs, ri) => {
      const ry = by + ri * (rowH + 2);
      svg.append("rect").attr("x", margin.left).attr("y", ry).attr("width", width - margin.left - margin.right).attr("height", rowH).attr("fill", "#f3f5f8");
      for (const s of segs) {
        const x0 = x(s.from);
        const w = Math.max(2, x(s.to) - x0);
        const g = svg.append("g").attr("class", `segment ${s.kind}`).attr("data-info", `${s.label}: ${Math.round(s.from)}–${Math.round(s.to)} ms`);
        g.append("rect").attr("x", x0).attr("y", ry).attr("width", w).attr("height", rowH).attr("fill", s.color).attr("stroke", "white");
        // A label only where it fits inside its own segment; the panel shows it on tap either way.
        if (w > s.label.length * 6 + 8) g.append("text").attr("x", x0 + 4).attr("y", ry + rowH - 4).attr("font-size", 10).attr("fill", textOn(s.color)).attr("data-bg", s.color).attr("font-weight", 600).text(s.label);
        g.append("title").text(`${s.label}: ${Math.round(s.from)}–${Math.round(s.to)} ms`);
      }
    });
  });
  for (const n of notes) {
    const g = svg.append("g").attr("class", "note-marker").attr("data-label", n.label).style("cursor", options.onJump ? "pointer" : "default");
    g.append("path").attr("d", `M${x(n.time) - 4},${top - 10}L${x(n.time) + 4},${top - 10}L${x(n.time)},${top - 3}z`).attr("fill", n.heading ? "#6a4c93" : "#8e7cc3");
    g.append("title").text(`${n.label}: ${n.text}`);
    if (options.onJump) {
      const jump = options.onJump;
      g.on("click", (ev: Event) => {
        ev.stopPropagation();
        jump(n.step);
      });
    }
  }
  svg.append("g").attr("class", "axis").attr("transform", `translate(0,${axisY})`).call(fittedAxis(x, width));
  svg.attr("data-x0", String(x(0))).attr("data-x1", String(x(endTime))).attr("data-end", String(endTime));
  const cursorX = x(options.time ?? 0);
  svg.append("line").attr("class", "cursor").attr("x1", cursorX).attr("x2", cursorX).attr("y1", 0).attr("y2", axisY).attr("stroke", INK).attr("stroke-width", 2)
    .attr("visibility", options.time === undefined ? "hidden" : "visible");
  if (options.onSeek) {
    const seek = options.onSeek;
    svg.style("cursor", "pointer").on("click", (ev: MouseEvent) => {
      const [px] = d3.pointer(ev, svg.node());
      seek(Math.max(0, Math.min(endTime, x.invert(px))));
    });
  }
  return svg.node() as SVGSVGElement;
}

/** Move the cursor of a drawn timeline without redrawing it (the player does this on every animation frame). */
export function moveTimelineCursor(svg: SVGSVGElement, time: number): void {
  const x0 = Number(svg.dataset.x0 ?? svg.getAttribute("data-x0"));
  const x1 = Number(svg.getAttribute("data-x1"));
  const end = Number(svg.getAttribute("data-end")) || 1;
  const x = x0 + ((x1 - x0) * Math.max(0, Math.min(end, time))) / end;
  const line = svg.querySelector("line.cursor");
  line?.setAttribute("x1", String(x));
  line?.setAttribute("x2", String(x));
  line?.setAttribute("visibility", "visible");
}
